/// A hash table from byte strings to dense ids `0, 1, 2, …` in order of first insertion, with a
/// count per id: the vocabulary scan's working structure, which avoids building a `String` for every
/// token of the corpus.
///
/// Open addressing with linear probing over FNV-1a hashes; keys live back to back in one byte arena.
/// Lookup and insertion cost O(token length) expected; the table doubles at half load.
struct TokenTable {
    private var slots: [Int32]            // id + 1, 0 = empty
    private var hashes: [UInt64] = []     // by id
    private var keyStarts: [Int] = [0]    // by id: arena range keyStarts[id]..<keyStarts[id + 1]
    private var arena: [UInt8] = []
    private(set) var counts: [Int] = []

    init() { slots = [Int32](repeating: 0, count: 1 << 16) }

    var count: Int { counts.count }

    /// The key bytes of `id`.
    func key(_ id: Int) -> ArraySlice<UInt8> { arena[keyStarts[id]..<keyStarts[id + 1]] }

    /// The id of `bytes`, inserted (with count 0) if new; then its count grows by one.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == hash && keyStarts[id + 1] - keyStarts[id] == bytes.count
                && arena.withUnsafeBufferPointer({ a in memcmpEqual(a.baseAddress! + keyStarts[id], bytes.baseAddress!, bytes.count) }) {
                counts[id] += 1
                return entry - 1
            }
            slot = (slot + 1) & mask
        }
        let id = counts.count
        precondition(id < Int(Int32.max), "TokenTable: more than 2³¹ distinct tokens")
        arena.append(contentsOf: bytes)
        keyStarts.append(arena.count)
        hashes.append(hash)
        counts.append(1)
        slots[slot] = Int32(id + 1)
        if counts.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in 0..<counts.count {
            let hash = hashes[id]
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    for i in 0..<n where a[i] != b[i] { return false }
    return true
}
