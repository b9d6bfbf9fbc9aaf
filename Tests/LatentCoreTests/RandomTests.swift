import Foundation
import Testing
import LatentCore

/// xoshiro256** against the reference C implementation, reproducibility, streams and moments.
///
/// The hex values below come from Blackman & Vigna's reference `xoshiro256starstar.c` and
/// `splitmix64.c` (compiled with gcc) and from the Python port in `scripts/fixtures/linalg.py`,
/// which agree.
@Suite("Seeded random numbers")
struct RandomTests {
    @Test("first outputs from state (1, 2, 3, 4) match the reference implementation")
    func referenceOutputs() {
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [0x2d00, 0x0, 0x5a00_7080, 0x10e0_0000_0000_9d80, 0x10e0_b61c_e100_9d80, 0x0870_021c_e143_ad00]
        #expect((0..<6).map { _ in rng.next() } == expected)
    }

    @Test("jump() matches the reference jump polynomial")
    func referenceJump() {
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        rng.jump()
        #expect(rng.state == (0x8c7a_1539_56b5_f3d1, 0x701f_1a71_3401_d85e, 0x6527_f66a_6546_9085, 0x8386_b786_c440_8050))
    }

    @Test("seeding through SplitMix64 matches the reference")
    func referenceSeeding() {
        var rng = Xoshiro256StarStar(seed: 42)
        #expect(rng.state == (0xbdd7_3226_2feb_6e95, 0x28ef_e333_b266_f103, 0x4752_6757_130f_9f52, 0x581c_e1ff_0e4a_e394))
        #expect((0..<4).map { _ in rng.next() } == [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1, 0xecb8_ad47_03b3_60a1])
    }

    @Test("same seed, same numbers; different seed, different numbers")
    func reproducible() {
        func draws(_ seed: UInt64) -> [Double] {
            var rng = Xoshiro256StarStar(seed: seed)
            var out = [rng.uniform(), rng.normal(), rng.normal(), rng.normal(), rng.uniform(-3, 5)]
            out += rng.permutation(10).map(Double.init) + rng.choice(100, count: 5).map(Double.init)
            out += [rng.bernoulli(0.5) ? 1 : 0, Double(rng.integer(below: 1000))]
            return out
        }
        #expect(draws(7) == draws(7))
        #expect(draws(7) != draws(8))
        #expect(Matrix<Float>.randomNormal(4, 5, seed: 3) == Matrix<Float>.randomNormal(4, 5, seed: 3))
        #expect(Matrix<Double>.randomUniform(4, 5, seed: 3) != Matrix<Double>.randomUniform(4, 5, seed: 4))
        var rng = Xoshiro256StarStar(seed: 3)
        #expect(Matrix<Float>.randomNormal(4, 5, using: &rng) == Matrix<Float>.randomNormal(4, 5, seed: 3))
    }

    @Test("split hands out jumped streams that overlap neither each other nor the parent")
    func split() {
        var parent = Xoshiro256StarStar(seed: 5)
        var expected = parent
        let streams = parent.split(into: 3)
        for stream in streams {
            expected.jump()
            #expect(stream == expected)
        }
        expected.jump()
        #expect(parent == expected)
        var firsts = streams.map { s -> UInt64 in var s = s; return s.next() }
        firsts.append(parent.next())
        #expect(Set(firsts).count == 4)
        var again = Xoshiro256StarStar(seed: 5)
        #expect(again.split(into: 3) == streams)
    }

    @Test("Codable keeps the stream, including a pending normal")
    func codable() throws {
        var rng = Xoshiro256StarStar(seed: 9)
        _ = rng.normal()   // leaves the second Box–Muller sample pending
        var copy = try JSONDecoder().decode(Xoshiro256StarStar.self, from: JSONEncoder().encode(rng))
        #expect((0..<5).map { _ in copy.normal() } == (0..<5).map { _ in rng.normal() })
    }

    /// Mean, variance, skewness and excess kurtosis of `x`.
    func moments(_ x: [Double]) -> (mean: Double, variance: Double, skewness: Double, kurtosis: Double) {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let m2 = x.reduce(0) { $0 + pow($1 - mean, 2) } / n
        let m3 = x.reduce(0) { $0 + pow($1 - mean, 3) } / n
        let m4 = x.reduce(0) { $0 + pow($1 - mean, 4) } / n
        return (mean, m2, m3 / pow(m2, 1.5), m4 / (m2 * m2) - 3)
    }

    // Bounds are five standard errors of each statistic for n = 40 000 draws.
    @Test("uniform moments and range")
    func uniformMoments() {
        var rng = Xoshiro256StarStar(seed: 11)
        let x = (0..<40_000).map { _ in rng.uniform() }
        #expect(x.allSatisfy { $0 >= 0 && $0 < 1 })
        let m = moments(x)
        #expect(abs(m.mean - 0.5) < 0.0073)
        #expect(abs(m.variance - 1.0 / 12) < 0.0019)
        #expect(abs(m.kurtosis + 1.2) < 0.03)   // −6/5 for a uniform
        let y = (0..<1000).map { _ in rng.uniform(-2, 3) }
        #expect(y.allSatisfy { $0 >= -2 && $0 < 3 })
        #expect(rng.uniform(4, 4) == 4)
    }

    @Test("normal moments")
    func normalMoments() {
        var rng = Xoshiro256StarStar(seed: 12)
        let m = moments((0..<40_000).map { _ in rng.normal() })
        #expect(abs(m.mean) < 0.025)
        #expect(abs(m.variance - 1) < 0.035)
        #expect(abs(m.skewness) < 0.062)
        #expect(abs(m.kurtosis) < 0.123)
        let shifted = moments((0..<10_000).map { _ in rng.normal(mean: 5, standardDeviation: 2) })
        #expect(abs(shifted.mean - 5) < 0.1 && abs(shifted.variance.squareRoot() - 2) < 0.08)
    }

    @Test("Bernoulli frequency and integer(below:) uniformity")
    func discrete() {
        var rng = Xoshiro256StarStar(seed: 13)
        let heads = (0..<40_000).filter { _ in rng.bernoulli(0.3) }.count
        #expect(abs(Double(heads) / 40_000 - 0.3) < 0.0115)
        #expect(!(0..<100).contains { _ in rng.bernoulli(0) } && (0..<100).allSatisfy { _ in rng.bernoulli(1) })
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<40_000 { counts[rng.integer(below: 10)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 4000) < 300 })
        #expect((0..<100).allSatisfy { _ in rng.integer(below: 1) == 0 })
    }

    @Test("permutation, shuffle and choice without replacement")
    func permutations() {
        var rng = Xoshiro256StarStar(seed: 14)
        #expect(rng.permutation(50).sorted() == Array(0..<50))
        #expect(rng.permutation(0).isEmpty && rng.permutation(1) == [0])
        // All 6 orders of three items are equally likely.
        var seen = [[Int]: Int]()
        for _ in 0..<6000 { seen[rng.permutation(3), default: 0] += 1 }
        #expect(seen.count == 6 && seen.values.allSatisfy { abs($0 - 1000) < 150 })
        let picked = rng.choice(1000, count: 20)
        #expect(Set(picked).count == 20 && picked.allSatisfy { (0..<1000).contains($0) })
        #expect(rng.choice(7, count: 7).sorted() == Array(0..<7) && rng.choice(7, count: 0).isEmpty)
        var words = ["a", "b", "c", "d"]
        rng.shuffle(&words)
        #expect(words.sorted() == ["a", "b", "c", "d"])
    }

    @Test("random matrices stay inside the half-open interval, Float included")
    func matrixRanges() {
        let f = Matrix<Float>.randomUniform(100, 100, low: -1, high: 1, seed: 15)
        #expect(f.storage.allSatisfy { $0 >= -1 && $0 < 1 })
        #expect(abs(f.mean()) < 0.02)
        let n = Matrix<Double>.randomNormal(200, 50, mean: 3, standardDeviation: 0.5, seed: 16)
        #expect(abs(n.mean() - 3) < 0.02 && abs(n.standardDeviation() - 0.5) < 0.02)
        #expect(Matrix<Float>.randomUniform(3, 3, low: 2, high: 2, seed: 1) == .filled(3, 3, with: 2))
    }
}
