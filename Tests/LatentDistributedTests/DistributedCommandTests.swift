import Foundation
import XCTest

/// `latent pca|train classifier --distributed` under `mpirun` against the same command run alone.
final class DistributedCommandTests: XCTestCase {
    private func runAlone(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        try MPIRun.runAlone(arguments, in: folder)
    }

    /// The numbers of `path`'s model `components.storage` (a `latent pca --save-model` file).
    private func components(_ path: String) throws -> [Double] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let model = json?["model"] as? [String: Any], components = model?["components"] as? [String: Any]
        return try XCTUnwrap(components?["storage"] as? [Double], "no model.components.storage in \(path)")
    }

    /// A 600 × 12 CSV of correlated seeded columns with offsets.
    private func writeData(to url: URL) throws {
        var state: UInt64 = 42
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1.0p-53 - 0.5 }
        var lines = [(0..<12).map { "f\($0)" }.joined(separator: ",")]
        for _ in 0..<600 {
            var z = [Double](repeating: 0, count: 12), scale = 1.0
            for j in 0..<12 { z[j] = next() * scale; scale *= 0.7 }
            var fields: [String] = []
            for j in 0..<12 { fields.append(String(z[j] + 0.3 * z[(j + 1) % 12] + Double(j))) }
            lines.append(fields.joined(separator: ","))
        }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// The distributed model (rows split over 2 and 3 ranks, and streamed in batches of 50 rows)
    /// equals `latent pca` alone to 1e-5 relative: both compute in Double, so only the summation
    /// order differs. Only rank 0 prints (one summary).
    func testDistributedPCAEqualsSingleProcess() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        try writeData(to: scratch.url.appendingPathComponent("x.csv"))
        let alone = try runAlone(["pca", "x.csv", "--components", "4", "--save-model", "single.json", "--quiet"], in: scratch.url)
        XCTAssertEqual(alone.status, 0, alone.output)
        let reference = try components(scratch.path("single.json"))
        for (ranks, extra) in [(2, [String]()), (3, ["--batch-size", "50"])] {
            let result = try MPIRun.run(ranks: ranks, MPIRun.latent,
                                        ["pca", "x.csv", "--components", "4", "--save-model", "d\(ranks).json", "--distributed"] + extra,
                                        in: scratch.url)
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertEqual(result.output.split(separator: "\n").filter { $0.hasPrefix("samples: 600") }.count, 1,
                           "one summary, from rank 0:\n\(result.output)")
            let mine = try components(scratch.path("d\(ranks).json"))
            let scale = reference.map(Swift.abs).max()!
            let difference = zip(mine, reference).map { Swift.abs($0 - $1) }.max()!
            XCTAssertLessThan(difference / scale, 1e-5, "components on \(ranks) ranks")
        }
    }

    /// `latent train classifier --distributed` on 2 ranks (MLP, 256 Fashion-MNIST images, batches
    /// of 64 cut in 2 shards of 32, 4 Adam steps) prints the same losses and accuracy as one
    /// process, once, and writes a checkpoint (rank 0) whose weights equal the single process's to
    /// 2e-4 relative to each tensor's largest weight. Tolerance: the shards' gradients summed in
    /// another order differ by ulps, and Adam divides by √v̂, so a weight whose gradient is a
    /// near-cancelling sum gets a relatively larger difference (measured 3.7e-5 after 4 steps;
    /// `DistributedScenarioTests` holds 1e-5 on a model without such weights).
    func testDistributedTrainingEqualsSingleProcess() throws {
        _ = try MPIRun.requireLauncher()
        guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist; scripts/install-deps installs it)")
        }
        let scratch = try ScratchFolder()
        let common = ["train", "classifier", "--limit", "256", "--batch-size", "64", "--epochs", "1", "--threads", "1"]
        let alone = try runAlone(common + ["--checkpoint", "single.safetensors"], in: scratch.url)
        XCTAssertEqual(alone.status, 0, alone.output)
        let result = try MPIRun.run(ranks: 2, MPIRun.latent, common + ["--checkpoint", "two.safetensors", "--distributed"], in: scratch.url)
        XCTAssertEqual(result.status, 0, result.output)
        let epochLines = result.output.split(separator: "\n").filter { $0.hasPrefix("epoch 1/1") }
        XCTAssertEqual(epochLines.count, 1, "one epoch line, from rank 0:\n\(result.output)")
        let aloneLine = try XCTUnwrap(alone.output.split(separator: "\n").first { $0.hasPrefix("epoch 1/1") })
        // the same losses and accuracy (the fields before the timing)
        XCTAssertEqual(epochLines.first.map { $0.components(separatedBy: "%")[0] }, aloneLine.components(separatedBy: "%")[0])
        XCTAssertTrue(result.output.contains("2 ranks"), result.output)

        let single = try SafeTensorsFile(scratch.path("single.safetensors")), two = try SafeTensorsFile(scratch.path("two.safetensors"))
        XCTAssertEqual(two.metadata["ranks"], "2")
        let names = single.names.filter { $0.hasPrefix("model.") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let a = try single.floats(name), b = try two.floats(name)
            let scale = a.map(Swift.abs).max()!
            let difference = zip(a, b).map { Swift.abs($0 - $1) }.max()!
            XCTAssertLessThan(difference / scale, 2e-4, name)
        }
    }

    /// `latent train autoencoder --distributed` on 2 ranks — a task other than the classifier, whose
    /// model's own `fit` builds the trainer, made data-parallel by `DataParallelism` bound around
    /// it — on 256 generated dSprites images, batches of 64 cut in 2 shards of 32, 4 Adam steps:
    /// one epoch line, printed once, and a checkpoint (rank 0) whose weights equal the single
    /// process's to 2e-4 relative to each tensor's largest weight (the plain autoencoder's loss is
    /// a mean of per-sample terms without noise, so only the summation order differs; the
    /// tolerance and its reason are those of the classifier test above).
    func testDistributedAutoencoderEqualsSingleProcess() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        let common = ["train", "autoencoder", "--dataset", "dsprites", "--limit", "256", "--batch-size", "64", "--epochs", "1",
                      "--hidden", "64", "--code-size", "4", "--threads", "1"]
        let alone = try runAlone(common + ["--output", "single.safetensors"], in: scratch.url)
        XCTAssertEqual(alone.status, 0, alone.output)
        let result = try MPIRun.run(ranks: 2, MPIRun.latent, common + ["--output", "two.safetensors", "--distributed"], in: scratch.url)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output.split(separator: "\n").filter { $0.hasPrefix("epoch 1/1") }.count, 1, "one epoch line:\n\(result.output)")
        XCTAssertTrue(result.output.contains("all-reduce of the gradients over 2 ranks"), result.output)

        let single = try SafeTensorsFile(scratch.path("single.safetensors")), two = try SafeTensorsFile(scratch.path("two.safetensors"))
        XCTAssertEqual(two.metadata["ranks"], "2")
        let names = single.names.filter { $0.hasPrefix("model.") }
        XCTAssertFalse(names.isEmpty, "\(single.names)")
        for name in names {
            let a = try single.floats(name), b = try two.floats(name)
            let scale = a.map(Swift.abs).max()!
            let difference = zip(a, b).map { Swift.abs($0 - $1) }.max()!
            XCTAssertLessThan(difference / scale, 2e-4, name)
        }
    }

    /// `--distributed` without `mpirun` is a usage error that says how to start it.
    func testDistributedWithoutMPILaunchIsAUsageError() throws {
        let scratch = try ScratchFolder()
        try writeData(to: scratch.url.appendingPathComponent("x.csv"))
        let result = try runAlone(["pca", "x.csv", "--distributed"], in: scratch.url)
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.output.contains("this process was not started by an MPI launcher; run it as `mpirun -np N latent … --distributed`"), result.output)
    }
}

/// The F32 tensors and metadata of a safetensors file (the format: 8-byte header length, JSON
/// header, raw little-endian data), read without the library so the test checks the file itself.
struct SafeTensorsFile {
    let header: [String: Any]
    let data: Data

    init(_ path: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as? [String: Any] ?? [:]
        data = bytes.subdata(in: (8 + length)..<bytes.count)
    }

    var metadata: [String: String] { header["__metadata__"] as? [String: String] ?? [:] }
    var names: [String] { header.keys.filter { $0 != "__metadata__" }.sorted() }

    func floats(_ name: String) throws -> [Float] {
        let entry = try XCTUnwrap(header[name] as? [String: Any])
        XCTAssertEqual(entry["dtype"] as? String, "F32")
        let offsets = try XCTUnwrap(entry["data_offsets"] as? [Int])
        return data.subdata(in: offsets[0]..<offsets[1]).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
