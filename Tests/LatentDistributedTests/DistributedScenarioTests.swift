import Foundation
import XCTest

/// The library under `mpirun --oversubscribe -np 2` and `-np 3` on loopback, against the
/// single-process computation that rank 0 runs in the same job (`Tests/DistributedCheck`).
final class DistributedScenarioTests: XCTestCase {
    /// All-reduce (sum, maximum), broadcast (fixed and any length), gather of different lengths and
    /// all-gather give the known values on every rank.
    func testCollectivesGiveKnownValues() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        for ranks in [2, 3] {
            let result = try MPIRun.run(ranks: ranks, MPIRun.checker, ["collectives"], in: scratch.url)
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains("collectives all ranks correct: true"), result.output)
            XCTAssertTrue(result.output.contains("collectives gather correct: true"), result.output)
        }
    }

    /// Distributed PCA (in memory, and streamed in batches of 37 rows per rank) equals
    /// `PCA<Float>(solver: .covarianceEigen)` on all the rows (999 × 20, 4 components) to 1e-5
    /// relative: components, explained variances, mean and noise variance. The distributed
    /// statistics are summed in Double, the single-process covariance in Float, so the difference
    /// is the single-process Float rounding (measured 3e-7; the spectral gaps of the test data,
    /// ratio 0.75² between neighbours, keep the eigenvectors well conditioned).
    func testPCAEqualsSingleProcess() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        for ranks in [2, 3] {
            let result = try MPIRun.run(ranks: ranks, MPIRun.checker, ["pca"], in: scratch.url)
            XCTAssertEqual(result.status, 0, result.output)
            for name in ["in memory", "streamed"] {
                for quantity in ["components", "explained variance", "mean", "noise variance"] {
                    let label = "pca \(name) \(quantity)"
                    let difference = try XCTUnwrap(result.value(label), "no \(label) line in:\n\(result.output)")
                    XCTAssertLessThan(difference, 1e-5, "\(label) on \(ranks) ranks")
                }
            }
            XCTAssertTrue(result.output.contains("pca variance fraction components kept: 5 vs 5"), result.output)
        }
    }

    /// Data-parallel training (an MLP, Adam, batches of 24 cut into 2 or 3 shards, 1 epoch, a
    /// checkpoint, then a resumed second epoch: 10 steps) gives the single-process parameters, and
    /// every rank holds bit-identical weights.
    /// Tolerance 1e-5 relative to the largest weight: the global gradient is Σ n_r·g_r / n in Float
    /// instead of one mean over the batch, so each step's gradient differs by a few ulps (~1e-7
    /// relative); Adam's update lr·m̂/(√v̂ + ε) carries that relative error into a change of
    /// ~1e-7·lr per weight per step, so 10 steps stay two orders below 1e-5 (measured 1.5e-7).
    /// Losses and evaluation metrics (sums over the shards) agree to the same tolerance.
    func testDataParallelTrainingEqualsSingleProcess() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        for ranks in [2, 3] {
            let checkpoint = scratch.path("dp-\(ranks).safetensors")
            let result = try MPIRun.run(ranks: ranks, MPIRun.checker, ["train", checkpoint], in: scratch.url)
            XCTAssertEqual(result.status, 0, result.output)
            XCTAssertTrue(result.output.contains("train steps: 10 vs 10"), result.output)
            XCTAssertTrue(result.output.contains("train ranks identical: true"), "the ranks' weights differ:\n\(result.output)")
            for label in ["train parameters", "train loss", "train evaluation loss"] {
                let difference = try XCTUnwrap(result.value(label), "no \(label) line in:\n\(result.output)")
                XCTAssertLessThan(difference, 1e-5, "\(label) on \(ranks) ranks")
            }
            XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))
        }
    }

    /// A checkpoint written by 2 ranks is refused by 3, with the command to use.
    func testResumeWithAnotherRankCountIsRefused() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        let checkpoint = scratch.path("two.safetensors")
        let written = try MPIRun.run(ranks: 2, MPIRun.checker, ["train", checkpoint], in: scratch.url)
        XCTAssertEqual(written.status, 0, written.output)
        let refused = try MPIRun.run(ranks: 3, MPIRun.checker, ["resume", checkpoint], in: scratch.url)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("was written by a run on 2 ranks; resume it with `mpirun -np 2`, not 3"), refused.output)
    }

    /// Ranks that hold different data shapes stop with a message listing each rank's value.
    func testRanksThatDisagreeOnTheDataStop() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        let result = try MPIRun.run(ranks: 3, MPIRun.checker, ["disagree"], in: scratch.url, timeout: 120)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("the ranks disagree on the number of features (columns): 3, 4, 5"), result.output)
    }

    /// A rank killed in the middle of a run: the others do not hang; `mpirun` ends the job within
    /// seconds and names the rank that died.
    func testKilledRankEndsTheJob() throws {
        _ = try MPIRun.requireLauncher()
        let scratch = try ScratchFolder()
        let log = scratch.url.appendingPathComponent("wait.log")
        let job = try MPIRun.start(ranks: 3, MPIRun.checker, ["wait", scratch.url.path], log: log, in: scratch.url)
        let pidFile = scratch.path("rank-1.pid")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ Int32($0) }) == nil {
            usleep(100_000)
        }
        let pid = try XCTUnwrap((try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0) }, "rank 1 never started")
        usleep(300_000)   // inside the all-reduce loop
        let killed = Date()
        kill(pid, SIGKILL)
        XCTAssertTrue(MPIRun.wait(job, timeout: 30), "the surviving ranks hung")
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertNotEqual(job.terminationStatus, 0, output)
        XCTAssertLessThan(Date().timeIntervalSince(killed), 30)
        XCTAssertTrue(output.contains("rank 1") && output.contains("signal 9"), output)
    }
}
