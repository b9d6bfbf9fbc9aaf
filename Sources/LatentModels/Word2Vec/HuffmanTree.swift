/// The binary Huffman tree over word counts that hierarchical softmax walks (Morin & Bengio 2005;
/// built as in word2vec.c's `CreateBinaryTree`): frequent words get short codes.
struct HuffmanTree {
    /// Per word: the inner nodes (rows of the output matrix) on the path from the root.
    let points: [[Int32]]
    /// Per word: the branch taken at each of those nodes (0 or 1).
    let codes: [[UInt8]]

    /// A tree for words with `counts` sorted most frequent first (word2vec.c's two-queue merge, O(V)).
    init(counts: [Int]) {
        let n = counts.count
        guard n > 1 else {
            points = [[0]]
            codes = [[0]]
            return
        }
        var count = counts + [Int](repeating: Int.max / 4, count: n)
        var binary = [UInt8](repeating: 0, count: 2 * n)
        var parent = [Int](repeating: 0, count: 2 * n)
        var pos1 = n - 1, pos2 = n
        func smallest() -> Int {
            if pos1 >= 0 && count[pos1] < count[pos2] { pos1 -= 1; return pos1 + 1 }
            pos2 += 1
            return pos2 - 1
        }
        for a in 0..<(n - 1) {
            let min1 = smallest(), min2 = smallest()
            count[n + a] = count[min1] + count[min2]
            parent[min1] = n + a
            parent[min2] = n + a
            binary[min2] = 1
        }
        var points: [[Int32]] = [], codes: [[UInt8]] = []
        points.reserveCapacity(n); codes.reserveCapacity(n)
        for w in 0..<n {
            var code: [UInt8] = [], path: [Int32] = []
            var b = w
            while b != 2 * n - 2 {
                code.append(binary[b])
                b = parent[b]
                path.append(Int32(b - n))
            }
            points.append(path.reversed())
            codes.append(code.reversed())
        }
        self.points = points
        self.codes = codes
    }
}
