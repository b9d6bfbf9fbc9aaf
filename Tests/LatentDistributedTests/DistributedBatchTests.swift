import Foundation
import XCTest

/// `mpirun -np 2 latent batch FILE` for a file with `distributed: true`, against `latent batch`
/// alone on the same file without the key.
final class DistributedBatchTests: XCTestCase {
    /// A batch of PCA runs (2 and 4 components, whitened or not, with artifacts).
    private func batchText(distributed: Bool) -> String {
        """
        name: distributed-pca
        datasets:
          - name: x
            path: x.csv
        methods:
          - method: pca
            components: [2, 4]
            whiten: [false, true]
        artifacts: artifacts/

        """ + (distributed ? "distributed: true\n" : "")
    }

    /// 600 × 12 seeded correlated columns with offsets and a header.
    private func writeData(to url: URL) throws {
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1.0p-53 - 0.5 }
        var lines = [(0..<12).map { "f\($0)" }.joined(separator: ",")]
        for _ in 0..<600 {
            var z = [Double](repeating: 0, count: 12), scale = 1.0
            for j in 0..<12 { z[j] = next() * scale; scale *= 0.7 }
            var fields: [String] = []
            for j in 0..<12 {
                let value: Double = z[j] + 0.3 * z[(j + 1) % 12] + Double(j)
                fields.append(String(value))
            }
            lines.append(fields.joined(separator: ","))
        }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// Each run's metrics by "method parameters" from `latent runs list --json`, and its status.
    private func runs(_ db: String, in folder: URL) throws -> [String: (status: String, metrics: [String: Double])] {
        let listed = try MPIRun.runAlone(["runs", "list", "--db", db, "--json"], in: folder)
        XCTAssertEqual(listed.status, 0, listed.output)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]], listed.output)
        var result: [String: (status: String, metrics: [String: Double])] = [:]
        for row in rows {
            let parameters = try JSONSerialization.data(withJSONObject: row["parameters"] ?? [:], options: [.sortedKeys])
            let key = "\(row["method"] ?? "") \(String(decoding: parameters, as: UTF8.self))"
            result[key] = (row["status"] as? String ?? "", row["metrics"] as? [String: Double] ?? [:])
        }
        return result
    }

    /// The files and folders under `folder`, relative, sorted.
    private func entries(under folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []).sorted()
    }

    /// The distributed batch records the same runs with the same metrics as the batch alone, to
    /// 1e-9 relative: both work in Double, the single process by the SVD of the centred data
    /// (`solver: auto` on 600 × 12), the ranks by the eigendecomposition of the reduced
    /// covariance, whose rounding is about ε·κ(X)² (κ < 30 here, so ~1e-13) — 1e-9 leaves room
    /// for the metrics' own sums. Only rank 0 writes: the two ranks run in two folders (one
    /// `mpirun` app context each, `-wdir`), each with its own copy of the batch file and data;
    /// rank 1's folder ends with nothing but those two files, rank 0's holds the database and
    /// the artifacts folder, as alone.
    func testDistributedBatchEqualsSingleProcessAndOnlyRankZeroWrites() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        let alone = scratch.url.appendingPathComponent("alone")
        let ranks = [scratch.url.appendingPathComponent("rank0"), scratch.url.appendingPathComponent("rank1")]
        for (folder, distributed) in [(alone, false), (ranks[0], true), (ranks[1], true)] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try writeData(to: folder.appendingPathComponent("x.csv"))
            try batchText(distributed: distributed).write(to: folder.appendingPathComponent("batch.yaml"), atomically: true, encoding: .utf8)
        }
        let single = try MPIRun.runAlone(["batch", "batch.yaml", "--db", "results.sqlite"], in: alone)
        XCTAssertEqual(single.status, 0, single.output)

        let command = [MPIRun.latent.path, "batch", "batch.yaml", "--db", "results.sqlite"]
        let job = try MPIRun.run(launching: ["--oversubscribe", "-np", "1", "-wdir", ranks[0].path] + command
                                           + [":", "-np", "1", "-wdir", ranks[1].path] + command, in: scratch.url)
        XCTAssertEqual(job.status, 0, job.output)
        XCTAssertEqual(job.output.components(separatedBy: "distributed-pca: 4 runs: 4 done").count - 1, 1, "one summary, from rank 0:\n\(job.output)")

        XCTAssertEqual(entries(under: ranks[1]), ["batch.yaml", "x.csv"], "rank 1 wrote files")
        XCTAssertTrue(entries(under: ranks[0]).contains("results.sqlite"))
        XCTAssertEqual(entries(under: ranks[0]), entries(under: alone), "rank 0 writes what the batch alone writes")

        let reference = try runs("results.sqlite", in: alone), distributed = try runs("results.sqlite", in: ranks[0])
        XCTAssertEqual(reference.count, 4)
        XCTAssertEqual(Set(distributed.keys), Set(reference.keys))
        for (key, expected) in reference {
            let mine = try XCTUnwrap(distributed[key])
            XCTAssertEqual(mine.status, "done", key)
            XCTAssertEqual(Set(mine.metrics.keys), Set(expected.metrics.keys), key)
            XCTAssertFalse(expected.metrics.isEmpty, key)
            for (name, value) in expected.metrics {
                let difference = Swift.abs(mine.metrics[name]! - value) / Swift.max(Swift.abs(value), 1e-300)
                XCTAssertLessThan(difference, 1e-9, "\(key) \(name): \(mine.metrics[name]!) vs \(value)")
            }
        }
    }

    /// A distributed batch naming a single-process method, or a PCA solver a distributed fit does
    /// not compute, is refused when the file is checked (exit 1, the method entry's line); a
    /// distributed batch started without `mpirun` is a usage error (exit 2) saying how to start it.
    func testDistributedBatchRefusals() throws {
        let scratch = try ScratchFolder()
        try writeData(to: scratch.url.appendingPathComponent("x.csv"))
        let ica = batchText(distributed: true).replacingOccurrences(of: "method: pca", with: "method: ica")
            .replacingOccurrences(of: "    whiten: [false, true]\n", with: "")
        try ica.write(to: scratch.url.appendingPathComponent("ica.yaml"), atomically: true, encoding: .utf8)
        let refused = try MPIRun.runAlone(["batch", "ica.yaml", "--db", "r.sqlite"], in: scratch.url)
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertTrue(refused.output.contains("ica.yaml:6: method 'ica' cannot run in a distributed batch (distributed: true, line 9); methods that can: pca"),
                      refused.output)

        let solver = batchText(distributed: true).replacingOccurrences(of: "whiten: [false, true]", with: "solver: [auto, randomized]")
        try solver.write(to: scratch.url.appendingPathComponent("solver.yaml"), atomically: true, encoding: .utf8)
        let refusedSolver = try MPIRun.runAlone(["batch", "solver.yaml", "--db", "r.sqlite"], in: scratch.url)
        XCTAssertEqual(refusedSolver.status, 1, refusedSolver.output)
        XCTAssertTrue(refusedSolver.output.contains("solver 'randomized' is single-process"), refusedSolver.output)

        try batchText(distributed: true).write(to: scratch.url.appendingPathComponent("batch.yaml"), atomically: true, encoding: .utf8)
        let alone = try MPIRun.runAlone(["batch", "batch.yaml", "--db", "r.sqlite"], in: scratch.url)
        XCTAssertEqual(alone.status, 2, alone.output)
        XCTAssertTrue(alone.output.contains("run it as `mpirun -np N latent batch batch.yaml`"), alone.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("r.sqlite")), "nothing is written")
    }
}

