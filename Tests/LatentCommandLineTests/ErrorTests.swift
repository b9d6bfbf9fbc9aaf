import Foundation
import LatentCore
import LatentIO
import Testing

/// One clean line naming the file, line and column (or option); exit 1 for data and run failures,
/// 2 for usage errors; no partial output.
@Suite("latent errors")
struct ErrorTests {
    @Test("a bad CSV cell names file:line:column, exits 1 and leaves no output file")
    func badCell() throws {
        let s = try Scratch()
        try s.write("data.csv", "a,b,c\n1,2,3\n4,abc,6\n7,8,9\n")
        let r = try s.run("pca data.csv --output out.csv --save-model m.json")
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.last == "latent: data.csv:3:2: not a number: \"abc\"")
        #expect(s.files == ["data.csv"], "left behind: \(s.files)")
    }

    @Test("usage errors exit 2: unknown option, bad value, bad extension, conflicting options")
    func usage() throws {
        let s = try Scratch()
        try s.write("data.csv", "1,2\n3,4\n5,7\n")
        for line in ["pca data.csv --bogus", "pca data.csv --components 0", "pca data.csv --output out.txt",
                     "pca data.csv --components 2 --variance 0.9", "pca data.txt.xyz", "nmf data.csv --solver cd --beta-loss kullback-leibler",
                     "kpca data.csv --kernel nonsense", "pca", "embed data.csv"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
        let bogus = try s.run("pca data.csv --bogus")
        #expect(bogus.stderr.hasPrefix("latent: Unknown option '--bogus'"))
        let zero = try s.run("pca data.csv --components 0")
        #expect(zero.stderr.hasPrefix("latent: --components must be at least 1, got 0\n"))
        #expect(s.files == ["data.csv"])
    }

    @Test("a missing input or model file exits 1 with one line")
    func missing() throws {
        let s = try Scratch()
        let r = try s.run("ica missing.csv --output z.csv")
        #expect(r.status == 1)
        #expect(r.stderr.hasSuffix("latent: missing.csv: cannot read: no such file\n"))
        try s.write("x.csv", "1,2\n3,4\n")
        let m = try s.run("embed --model nope.json x.csv")
        #expect(m.status == 1)
        #expect(m.stderr.contains("latent: nope.json: cannot read: no such file"))
        try s.write("bad.json", "{\"format\": \"something\"}")
        let b = try s.run("inspect bad.json")
        #expect(b.status == 1)
        #expect(b.stderr == "latent: bad.json: not a latent model file: missing \"version\"\n" ||
                b.stderr.hasPrefix("latent: bad.json: \"format\" is \"something\""))
    }

    @Test("embed with the wrong number of features exits 1 naming both counts, and writes nothing")
    func featureMismatch() throws {
        let s = try Scratch()
        try s.write("train.csv", "a,b,c\n1,2,3\n4,5,7\n7,8,8\n2,1,0\n")
        try s.write("new.csv", "a,b\n1,2\n3,4\n")
        #expect(try s.run("pca train.csv --save-model m.json -q").status == 0)
        let r = try s.run("embed --model m.json new.csv --output z.csv")
        #expect(r.status == 1)
        #expect(r.stderr.contains("latent: new.csv has 2 feature columns, but m.json (pca) was fitted on 3"))
        #expect(!s.exists("z.csv"))
    }

    @Test("a failing fit (rbm on data outside [0, 1]) exits 1, keeps an existing output untouched")
    func failedFit() throws {
        let s = try Scratch()
        try s.write("data.csv", "1,2\n3,4\n5,6\n")
        try s.write("out.csv", "previous\n")
        let r = try s.run("rbm data.csv --hidden 2 --output out.csv")
        #expect(r.status == 1)
        #expect(r.stderr.contains("latent: rbm needs values in [0, 1]; row 1, column 2 is 2 (IDX pixels: add --scale)"))
        #expect(try s.read("out.csv") == "previous\n")
        #expect(s.files == ["data.csv", "out.csv"])
    }

    @Test("labels that do not match the rows exit 1")
    func labelCount() throws {
        let s = try Scratch()
        try NPY.write(Matrix<Double>(rows: 3, columns: 2, storage: [1, 2, 3, 4, 5, 7]), to: URL(fileURLWithPath: s.path("x.npy")))
        try NPY.write(integers: [0, 1], to: URL(fileURLWithPath: s.path("y.npy")))
        let r = try s.run("pca x.npy --labels y.npy")
        #expect(r.status == 1)
        #expect(r.stderr.contains("latent: y.npy: 2 labels for the 3 rows of x.npy"))
    }

    @Test("Ctrl-C during a fit exits 130 and leaves no output or temporary file")
    func interrupted() throws {
        let s = try Scratch()
        var rng = Xoshiro256StarStar(seed: 2)
        try NPY.write(Matrix<Double>(rows: 2000, columns: 64) { _, _ in rng.uniform(0, 1) }, to: URL(fileURLWithPath: s.path("x.npy")))
        let process = Process()
        process.executableURL = Scratch.binary
        process.arguments = ["rbm", "x.npy", "--hidden", "64", "--epochs", "1000", "--output", "h.npy", "--save-model", "m.json"]
        process.currentDirectoryURL = s.folder
        let stderr = Pipe()
        process.standardError = stderr
        try process.run()
        // The first stage line comes after the handlers are installed; however slow the start
        // (CI under load), the interrupt then lands during the fit.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("\n") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        #expect(String(decoding: seen, as: UTF8.self).hasPrefix("latent: loading x.npy"))
        Thread.sleep(forTimeInterval: 0.2)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(s.files == ["x.npy"])
    }
}
