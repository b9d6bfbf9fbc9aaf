import Foundation
import Testing
import LatentCore
import LatentIO

/// Seeded mutation testing: thousands of damaged inputs go through every decoder, which must
/// throw `IOError` (or succeed with output no larger than the input allows) — never trap, never
/// throw anything else, never allocate what a lying header asks for.
///
/// `LATENT_FUZZ_SCALE=k` multiplies every iteration count by `k` for a deeper local run.
@Suite struct FuzzTests {
    static let scale = ProcessInfo.processInfo.environment["LATENT_FUZZ_SCALE"].flatMap(Int.init) ?? 1

    /// The shared mutator (`ByteMutator`, also behind `latent bench fuzz`).
    static func mutate(_ seed: Data, _ rng: inout Xoshiro256StarStar) -> Data { ByteMutator.mutate(seed, &rng) }

    /// Runs `decode` on `input`; records anything but success or an `IOError`.
    static func survive(_ what: String, _ input: Data, _ decode: (Data) throws -> Void) {
        do { try decode(input) } catch is IOError {} catch {
            Issue.record("\(what): non-IOError \(error) for input \(Array(input.prefix(40)))")
        }
    }

    @Test func csvDecoderSurvivesDamagedAndRandomText() throws {
        var rng = Xoshiro256StarStar(seed: 2026)
        let seeds = [
            try ioFixtureData("quoted.csv"),
            Data("a,b,c\n1,2,x\n3.5,-4e2,\"y,z\"\r\n.5,nan,w\n".utf8),
            CSV.encode(Matrix<Double>.randomNormal(6, 4, seed: 1), columnNames: ["a", "b", "c", "d"], labels: ["p", "q", "r\"", "s,", "t\n", "u"]),
        ]
        let options: [(CSV.Header, CSV.Column?, [CSV.Column], Bool)] = [
            (.auto, nil, [], false), (.auto, .last, [], false), (.present, .name("species"), [.first], true),
            (.absent, .first, [.index(1)], false), (.auto, .index(9), [], false), (.auto, nil, [.name("b")], true),
        ]
        let alphabet = Array("0123456789,,,\"\"\n\r.-+eE naNiIf\t;x".utf8)
        func run(_ input: Data) {
            let (header, label, drop, nonFinite) = options[rng.integer(below: options.count)]
            Self.survive("CSV", input) { data in
                let t: CSVTable<Double> = try CSV.decode(data, header: header, label: label, drop: drop, allowNonFinite: nonFinite)
                #expect(t.features.count <= data.count && (t.labels?.count ?? t.features.rows) == t.features.rows)
            }
        }
        for _ in 0..<2500 * Self.scale { run(Self.mutate(seeds[rng.integer(below: seeds.count)], &rng)) }
        for _ in 0..<1500 * Self.scale { run(Data((0..<rng.integer(below: 80)).map { _ in alphabet[rng.integer(below: alphabet.count)] })) }
    }

    @Test func npyDecodersSurviveDamagedAndLyingHeaders() throws {
        var rng = Xoshiro256StarStar(seed: 1993)
        var seeds = try ["f8_2d", "f4_1d_v3", "i8_2d_v2", "u1_1d", "i4_labels", "f8_scalar", "fortran", "three_d"].map { try ioFixtureData($0 + ".npy") }
        seeds.append(NPY.encode(integers: [1, 2, 3], dtype: .uint8))
        func run(_ input: Data) {
            Self.survive("NPY", input) { data in
                let m: Matrix<Float> = try NPY.decode(data)
                #expect(m.count <= data.count)
            }
            Self.survive("NPY integers", input) { data in
                let n = try NPY.decodeIntegers(data).count
                #expect(n <= data.count)
            }
        }
        for _ in 0..<3000 * Self.scale { run(Self.mutate(seeds[rng.integer(below: seeds.count)], &rng)) }
        // Well-formed headers that lie: random dtypes, orders and (often huge) shapes over little data.
        let descrs = ["'<f8'", "'<f4'", "'|u1'", "'<i8'", "'>f8'", "'<c16'", "[('a', '<f4')]", "'", "''", "b'<f8'", "'<i4'"]
        let dims = [0, 1, 2, 3, 7, 255, 65536, 1 << 31, 1 << 40, Int.max, 99]
        for _ in 0..<1500 * Self.scale {
            let shape = (0..<rng.integer(below: 4)).map { _ in String(dims[rng.integer(below: dims.count)]) }
            let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.joined(separator: ", ") + ")"
            let header = "{'descr': \(descrs[rng.integer(below: descrs.count)]), 'fortran_order': \(rng.bernoulli(0.2) ? "True" : "False"), 'shape': \(tuple), }"
            let payload = (0..<rng.integer(below: 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            run(npyBytes(header: header, payload: payload, version: UInt8(1 + rng.integer(below: 3))))
        }
    }

    @Test func idxDecodersSurvivePlainAndGzipDamage() throws {
        var rng = Xoshiro256StarStar(seed: 1998)
        let plain = try ["images-u1.idx", "labels-i1.idx", "labels-i2.idx", "labels-i4.idx", "matrix-f4.idx", "matrix-f8.idx"].map(ioFixtureData)
        let gzipped = try ["images-u1.idx.gz", "labels-u1.idx.gz", "labels-two-members.idx.gz"].map(ioFixtureData)
        func run(_ input: Data) {
            let bound = Gzip.isCompressed(input) ? input.count * 1100 : input.count
            Self.survive("IDX matrix", input) { data in
                let m: Matrix<Double> = try IDX.decodeMatrix(data, scaleToUnit: rng.bernoulli(0.5))
                #expect(m.count <= bound)
            }
            Self.survive("IDX labels", input) { data in
                let n = try IDX.decodeLabels(data).count
                #expect(n <= bound)
            }
        }
        for _ in 0..<1500 * Self.scale { run(Self.mutate(plain[rng.integer(below: plain.count)], &rng)) }
        // Damaged compressed streams, and intact streams of damaged IDX bytes.
        for _ in 0..<1500 * Self.scale { run(Self.mutate(gzipped[rng.integer(below: gzipped.count)], &rng)) }
        for _ in 0..<500 * Self.scale { run(Gzip.compress(Self.mutate(plain[rng.integer(below: plain.count)], &rng), level: 1)) }
        // Lying sizes: random type codes, ranks and dimensions over a few bytes.
        let sizes = [0, 1, 2, 28, 60000, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF]
        for _ in 0..<1000 * Self.scale {
            let rank = rng.integer(below: 5)
            let code = UInt8([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0x0A][rng.integer(below: 8)])
            let d = (0..<rank).map { _ in sizes[rng.integer(below: sizes.count)] }
            let payload = (0..<rng.integer(below: 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let bytes = idxBytes(code: code, dimensions: d, payload: payload)
            run(rng.bernoulli(0.3) ? Gzip.compress(bytes) : bytes)
        }
    }
}
