/// The `capacity` smallest `(key, index)` pairs offered so far, ordered by key then index, so
/// results are deterministic under ties (the earlier index wins). A bounded max-heap: `offer` is
/// O(1) when the pair does not enter, O(log k) when it does; `sorted()` is O(k log k).
///
/// Nearest neighbours offer distances; largest similarities are offered negated.
/// Used by t-SNE's neighbour search, k-NN classification and trustworthiness.
public struct SmallestK<Key: Comparable & Sendable>: Sendable {
    @usableFromInline var keys: [Key]
    @usableFromInline var indices: [Int]
    /// How many pairs the heap holds (at most `capacity`).
    @inlinable public var count: Int { keys.count }
    /// How many pairs it keeps.
    public let capacity: Int

    /// An empty selection of at most `capacity` pairs (`capacity ≥ 1`).
    public init(capacity: Int) {
        precondition(capacity >= 1, "SmallestK: capacity must be at least 1, got \(capacity)")
        self.capacity = capacity
        keys = []
        indices = []
        keys.reserveCapacity(capacity)
        indices.reserveCapacity(capacity)
    }

    /// Empties the selection, keeping its storage.
    @inlinable
    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
    }

    @inlinable @inline(__always)
    func greater(_ a: Int, _ b: Int) -> Bool {
        keys[a] > keys[b] || (keys[a] == keys[b] && indices[a] > indices[b])
    }

    /// Keeps `(key, index)` if it is among the `capacity` smallest so far.
    @inlinable @inline(__always)
    public mutating func offer(_ key: Key, index: Int) {
        if count < capacity {
            var i = count
            keys.append(key); indices.append(index)
            while i > 0 {                                      // sift up
                let parent = (i - 1) / 2
                if greater(i, parent) { swapAt(i, parent); i = parent } else { break }
            }
        } else if key < keys[0] || (key == keys[0] && index < indices[0]) {
            keys[0] = key; indices[0] = index
            var i = 0
            while true {                                       // sift down
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < count && greater(l, largest) { largest = l }
                if r < count && greater(r, largest) { largest = r }
                if largest == i { break }
                swapAt(i, largest); i = largest
            }
        }
    }

    @inlinable @inline(__always)
    mutating func swapAt(_ a: Int, _ b: Int) {
        keys.swapAt(a, b); indices.swapAt(a, b)
    }

    /// The kept pairs in increasing (key, index) order.
    @inlinable
    public func sorted() -> [(key: Key, index: Int)] {
        (0..<count).sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && indices[$0] < indices[$1]) }
            .map { (keys[$0], indices[$0]) }
    }
}
