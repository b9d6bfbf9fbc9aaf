import Foundation
import Testing

/// `--threads` sets the process's counts (`Parallel.setThreadCount`). Checked in a child process,
/// because changing the counts inside the test process would change what concurrent tests compute.
@Suite("The --threads option")
struct ThreadsOptionTests {
    @Test("--threads N sets Latent's loops and OpenBLAS together", arguments: [1, 3])
    func setsBothCounts(threads: Int) throws {
        let s = try Scratch()
        let r = try s.run("bench gemm --sizes 8 --repeats 1 --elements 1000 --json --threads \(threads)")
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["threads"] as? Int == threads)
        #expect(report["blasThreads"] as? Int == threads)
    }
}
