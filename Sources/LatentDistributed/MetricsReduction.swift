import LatentNN

extension Communicator {
    /// Metric totals summed over all ranks (each evaluated its shard): the sufficient statistics
    /// of every mean metric (`Metrics` holds sums and a count), so the result equals one process's
    /// evaluation of the whole set up to summation order.
    /// - Throws: `DistributedError.ranksDisagree` when the ranks report different metric names.
    public func allReduce(_ metrics: Metrics) throws -> Metrics {
        let names = metrics.totals.keys.sorted()
        try requireAgreement(names.map { Int64(bitPattern: StableHash.fnv1a($0)) }, on: "the metric names (hashed)")
        var values = [Double(metrics.count)] + names.map { metrics.totals[$0]! }
        try allReduce(&values)
        return Metrics(Dictionary(uniqueKeysWithValues: zip(names, values.dropFirst())), count: Int(values[0]))
    }
}

/// A hash that is the same in every process and on every run (Swift's `Hasher` is seeded per
/// process, so it cannot compare strings across ranks).
public enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
