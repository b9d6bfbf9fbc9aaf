import ArgumentParser
import Foundation
import Latent
import LatentExperiments

/// `latent bench fuzz`: seeded mutation fuzzing of every reader the command line uses — CSV, NPY,
/// IDX (plain and gzip), batch YAML, model JSON and safetensors checkpoints — with the mutator the
/// test suite uses (`ByteMutator`). Each damaged input must be refused with an error or read into
/// something usable; a model file that validates is also applied to data (`transform`), and a
/// checkpoint that parses has every tensor read, so a file that passes validation but traps later
/// is caught too. A trap ends the process, so a finished run is the proof of zero traps.
///
/// Prints, per reader, the inputs tried, how many were accepted, and the errors by kind.
struct BenchFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Seeded mutation fuzzing of the CSV, NPY, IDX, YAML, model-JSON and safetensors readers.")

    enum Reader: String, CaseIterable, ExpressibleByArgument { case csv, npy, idx, yaml, model, safetensors }

    @Option(parsing: .unconditional, help: "Damaged inputs in all, shared evenly by the readers (1…10000000000).")
    var inputs = 60_000

    @Option(help: "Seed of the mutations.")
    var seed: UInt64 = 0

    @Option(parsing: .upToNextOption, help: "Readers to fuzz (default: all): csv npy idx yaml model safetensors.")
    var readers: [Reader] = Reader.allCases

    @Flag(help: "Print the tallies as JSON.")
    var json = false

    func validate() throws {
        try OptionRange.check("--inputs", inputs, 1...10_000_000_000)
        if readers.isEmpty { throw ValidationError("--readers needs at least one reader") }
    }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try FuzzCorpus(folder: folder)
        var tallies: [(Reader, FuzzTally)] = []
        let start = Date()
        let share = inputs / readers.count
        for (index, reader) in readers.enumerated() {
            var rng = Xoshiro256StarStar(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            var tally = FuzzTally()
            let count = share + (index < inputs % readers.count ? 1 : 0)
            let readerStart = Date()
            for i in 0..<count {
                corpus.fuzzOnce(reader, &rng, &tally)
                if (i + 1) % 100_000 == 0 {
                    StandardError.line("latent: fuzz \(reader.rawValue): \(i + 1)/\(count), \(String(format: "%.0f", Date().timeIntervalSince(readerStart))) s")
                }
            }
            tally.seconds = Date().timeIntervalSince(readerStart)
            tallies.append((reader, tally))
        }
        let total = tallies.reduce(0) { $0 + $1.1.tried }
        if json {
            var object: [String: JSONValue] = ["inputs": .int(total), "seed": .string(String(seed)), "crashes": .int(0),
                                               "seconds": .number(Date().timeIntervalSince(start))]
            for (reader, t) in tallies {
                object[reader.rawValue] = .object(["tried": .int(t.tried), "accepted": .int(t.accepted),
                                                   "errors": .object(t.errors.mapValues(JSONValue.int))])
            }
            print(String(decoding: try JSON.encoder().encode(JSONValue.object(object)), as: UTF8.self))
            return
        }
        for (reader, t) in tallies {
            let kinds = t.errors.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("\(reader.rawValue): \(t.tried) inputs in \(String(format: "%.1f", t.seconds)) s, \(t.accepted) accepted; errors: \(kinds.isEmpty ? "none" : kinds)")
        }
        print("total: \(total) inputs, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(start))) s (seed \(seed))")
    }
}

/// Counts of one reader's outcomes.
struct FuzzTally {
    var tried = 0
    var accepted = 0
    var errors: [String: Int] = [:]
    var seconds = 0.0

    mutating func record(_ body: () throws -> Void) {
        tried += 1
        do {
            try body()
            accepted += 1
        } catch {
            errors[Self.kind(error), default: 0] += 1
        }
    }

    /// `IOError.malformed`, `BatchFileError`, `model: Failure`, …
    static func kind(_ error: Error) -> String {
        switch error {
        case let e as IOError:
            switch e {
            case .cannotRead: return "IOError.cannotRead"
            case .cannotWrite: return "IOError.cannotWrite"
            case .malformed: return "IOError.malformed"
            case .corrupt: return "IOError.corrupt"
            case .unsupported: return "IOError.unsupported"
            }
        case is Failure: return "refused by a check (Failure)"
        case is DecodingError: return "DecodingError"
        case is BatchFileError: return "BatchFileError"
        case is EstimatorError: return "EstimatorError"
        default: return String(describing: type(of: error))
        }
    }
}

/// Valid seed files of every format, and one damaged input through its reader.
struct FuzzCorpus {
    let csv: [Data]
    let npy: [Data]
    let idx: [Data]
    let yaml: [Data]
    let models: [Data]
    let safetensors: [Data]
    let folder: URL

    init(folder: URL) throws {
        self.folder = folder
        var rng = Xoshiro256StarStar(seed: 7)
        let x = Matrix<Double>.randomNormal(6, 4, using: &rng)
        let positive = Matrix<Double>(rows: 6, columns: 4, storage: x.storage.map { abs($0) })
        csv = [
            CSV.encode(x, columnNames: ["a", "b", "c", "d"], labels: ["p", "q", "r\"", "s,", "t\n", "u"]),
            Data("a,b,c\n1,2,x\n3.5,-4e2,\"y,z\"\r\n.5,7,w\n".utf8),
            Data("1;2;3\n4;5;6\n".utf8),
        ]
        npy = [NPY.encode(x), NPY.encode(Matrix<Float>(rows: 6, columns: 4, storage: x.storage.map(Float.init))),
               NPY.encode(integers: [1, 2, 3], dtype: .uint8), NPY.encode(integers: [0, 1, 2, 1, 0, 2])]
        func idxBytes(code: UInt8, dimensions: [Int], payload: [UInt8]) -> Data {
            var d = Data([0, 0, code, UInt8(dimensions.count)])
            for n in dimensions { d.append(contentsOf: [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]) }
            d.append(contentsOf: payload)
            return d
        }
        let images = idxBytes(code: 0x08, dimensions: [3, 2, 2], payload: (0..<12).map { UInt8($0 * 20) })
        let labels = idxBytes(code: 0x08, dimensions: [3], payload: [0, 1, 2])
        idx = [images, labels, Gzip.compress(images), Gzip.compress(labels)]
        try CSV.encode(x, columnNames: ["a", "b", "c", "d"], labels: ["p", "q", "p", "q", "p", "q"]).write(to: folder.appendingPathComponent("d.csv"))
        yaml = [Data("""
            name: fuzz
            datasets:
              - name: d
                path: d.csv
                label-column: label
            methods:
              - method: pca
                components: [1, 2]
              - method: nmf
                components: 2
            seeds: [0, 1]
            evaluations: [explained-variance]
            """.utf8)]
        let fitted: [(FittedModel, MethodDescriptor)] = [
            (try PCA<Double>(components: .count(2), whiten: true).fit(x).fittedModel, .pca),
            (try KernelPCA<Double>(kernel: .rbf(gamma: 0.5), components: 2, fitInverseTransform: true).fit(x).fittedModel, .kernelPCA),
            (try FastICA<Double>(components: 2, seed: 0).fit(x).fittedModel, .fastICA),
            (try NMF<Double>(components: 2).fit(positive).fittedModel, .nmf),
            (try BernoulliRBM<Double>(hiddenUnits: 3, epochs: 1, seed: 0).fit(Matrix(rows: 6, columns: 4, storage: x.storage.map { $0 > 0 ? 1 : 0 })).fittedModel, .rbm),
        ]
        models = try fitted.map { try JSON.encoder().encode(ModelFile(model: $0, method: $1, options: ["components": .int(2)])) }
        safetensors = [Data(SafeTensors.encode([SafeTensors.Entry(name: "layer.weight", shape: [2, 3], values: [Float](repeating: 0.5, count: 6)),
                                                SafeTensors.Entry(name: "layer.bias", shape: [3], values: [Double](repeating: 1, count: 3))],
                                               metadata: ["epoch": "1"]))]
    }

    static let textTokens = [",", "\"", "\n", ";", "nan", "inf", "-", "1e309", "1e300", "\t", ":", "- ", "[", "]", "{", "}",
                             "null", "-1", "0", "99999999999999999999", "\"storage\"", "\"rows\"", "\"columns\"", "true", "\u{1B}"]

    func pick(_ list: [Data], _ rng: inout Xoshiro256StarStar) -> Data { list[rng.integer(below: list.count)] }

    func fuzzOnce(_ reader: BenchFuzz.Reader, _ rng: inout Xoshiro256StarStar, _ tally: inout FuzzTally) {
        switch reader {
        case .csv:
            let input = ByteMutator.mutateText(pick(csv, &rng), alphabet: Self.textTokens, &rng)
            let label: CSV.Column? = rng.bernoulli(0.5) ? .last : nil
            tally.record {
                let t: CSVTable<Double> = try CSV.decode(input, label: label, path: "fuzz.csv")
                try DataCheck.requireUsable(t.features, name: "fuzz.csv")
            }
        case .npy:
            let input = ByteMutator.mutate(pick(npy, &rng), &rng)
            if rng.bernoulli(0.5) {
                tally.record { let m: Matrix<Double> = try NPY.decode(input, path: "fuzz.npy"); try DataCheck.requireUsable(m, name: "fuzz.npy") }
            } else {
                tally.record { _ = try NPY.decodeIntegers(input, path: "fuzz.npy") }
            }
        case .idx:
            let input = ByteMutator.mutate(pick(idx, &rng), &rng)
            if rng.bernoulli(0.5) {
                tally.record { let _: Matrix<Double> = try IDX.decodeMatrix(input, scaleToUnit: true, path: "fuzz.idx") }
            } else {
                tally.record { _ = try IDX.decodeLabels(input, path: "fuzz.idx") }
            }
        case .yaml:
            let input = ByteMutator.mutateText(pick(yaml, &rng), alphabet: Self.textTokens, &rng)
            tally.record {
                let batch = try BatchFile.parse(yaml: String(decoding: input, as: UTF8.self), path: "fuzz.yaml", baseDirectory: folder)
                _ = batch.runs.count
            }
        case .model:
            // Half byte-level damage, half structural edits that keep the JSON valid (so the
            // whole-file validation, not the JSON parser, has to catch them).
            let seedFile = pick(models, &rng)
            let input = rng.bernoulli(0.5) ? ByteMutator.mutateText(seedFile, alphabet: Self.textTokens, &rng)
                                           : StructuredMutation.json(seedFile, &rng)
            tally.record {
                let file: ModelFile
                do {
                    file = try JSON.decoder().decode(ModelFile.self, from: input)
                } catch let error as Failure {
                    throw error
                }
                // A model that validates must embed data of its width without trapping.
                let x = Matrix<Double>(rows: 3, columns: file.inputFeatures, storage: (0..<(3 * file.inputFeatures)).map { Double($0 % 5) / 4 })
                _ = try file.model.transform(x)
            }
        case .safetensors:
            let seedFile = pick(safetensors, &rng)
            let input = rng.bernoulli(0.5) ? ByteMutator.mutate(seedFile, &rng) : StructuredMutation.safetensorsHeader(seedFile, &rng)
            tally.record {
                let file = try SafeTensors(bytes: [UInt8](input), path: "fuzz.safetensors")
                for name in file.names {
                    if file.tensors[name]?.dtype == .f64 { _ = try file.values(name, as: Double.self) } else { _ = try file.values(name, as: Float.self) }
                }
            }
        }
    }
}

/// Edits that keep a file's outer syntax intact, so the checks behind the parser are reached.
enum StructuredMutation {
    /// A JSON document with one to three values changed: a number replaced by an extreme or
    /// non-finite one, an array shortened, lengthened or emptied, a key removed.
    static func json(_ data: Data, _ rng: inout Xoshiro256StarStar) -> Data {
        guard var root = try? JSONSerialization.jsonObject(with: data) else { return data }
        for _ in 0...rng.integer(below: 3) { root = edit(root, &rng, depth: 0) }
        return (try? JSONSerialization.data(withJSONObject: root)) ?? data
    }

    static var replacements: [Any] { [0, -1, 1, 2, 3, 1e308, -1e308, Double.leastNonzeroMagnitude, 4_294_967_296, Int.max, "nan", "inf", "-inf", NSNull(), "x", true] }

    private static func edit(_ value: Any, _ rng: inout Xoshiro256StarStar, depth: Int) -> Any {
        if var object = value as? [String: Any], !object.isEmpty {
            let keys = object.keys.sorted()
            let key = keys[rng.integer(below: keys.count)]
            if depth > 0 && rng.bernoulli(0.05) { object.removeValue(forKey: key); return object }
            object[key] = edit(object[key]!, &rng, depth: depth + 1)
            return object
        }
        if var array = value as? [Any] {
            switch rng.integer(below: 6) {
            case 0 where !array.isEmpty: array.removeLast()
            case 1 where !array.isEmpty: array.append(array[rng.integer(below: array.count)])
            case 2: array = []
            default:
                if !array.isEmpty {
                    let i = rng.integer(below: array.count)
                    array[i] = edit(array[i], &rng, depth: depth + 1)
                }
            }
            return array
        }
        return rng.bernoulli(0.8) ? replacements[rng.integer(below: replacements.count)] : value
    }

    /// A safetensors file whose JSON header is edited structurally (shapes, dtypes, offsets) and
    /// whose 8-byte length prefix is rewritten to match, so the header parses.
    static func safetensorsHeader(_ data: Data, _ rng: inout Xoshiro256StarStar) -> Data {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { return data }
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        guard n <= bytes.count - 8 else { return data }
        let header = json(Data(bytes[8..<(8 + n)]), &rng)
        var out = Data()
        let length = UInt64(header.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        out.append(header)
        out.append(contentsOf: bytes[(8 + n)...])
        return out
    }
}
