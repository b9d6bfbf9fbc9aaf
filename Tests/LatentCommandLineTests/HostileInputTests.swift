import Foundation
import LatentCore
import LatentIO
import Testing

/// Issue 15, one test per class of hostile input, each with several spellings of the problem:
/// the `latent` binary must never destroy a user's file, never trap, never print garbage as a
/// result, and say what is wrong in one line with the right exit code.
@Suite("hostile input")
struct HostileInputTests {
    static let csv = "a,b,c,class\n1,2,3,x\n4,5,7,y\n7,8,8,x\n2,1,0,y\n3,3,1,x\n"

    /// The scratch folder with `wine.csv` and its byte copy `original.csv`.
    static func scratch() throws -> Scratch {
        let s = try Scratch()
        try s.write("wine.csv", csv)
        return s
    }

    // MARK: 1. An output that is an input

    @Test("1: an output naming an input — by name, ./, ../, a symbolic or hard link — is refused before any work, exit 2")
    func outputIsInput() throws {
        let s = try Self.scratch()
        try FileManager.default.createSymbolicLink(atPath: s.path("link.csv"), withDestinationPath: "wine.csv")
        try FileManager.default.linkItem(atPath: s.path("wine.csv"), toPath: s.path("hard.csv"))
        try FileManager.default.createSymbolicLink(atPath: s.path("xlink.svg"), withDestinationPath: "x.npy")
        try FileManager.default.createSymbolicLink(atPath: s.path("mlink.csv"), withDestinationPath: "m.json")
        let folderName = s.folder.lastPathComponent
        try NPY.write(Matrix<Double>.randomNormal(12, 3, seed: 1), to: s.folder.appendingPathComponent("x.npy"))
        try NPY.write(integers: Array(repeating: 0, count: 6) + Array(repeating: 1, count: 6), to: s.folder.appendingPathComponent("y.npy"))
        let pca = try s.run("pca wine.csv --label-column class --save-model m.json")
        #expect(pca.status == 0, "\(pca.stderr)")
        let model = try s.read("m.json")
        for line in ["pca wine.csv --label-column class -o wine.csv",
                     "pca wine.csv --label-column class -o ./wine.csv",
                     "pca wine.csv --label-column class -o ../\(folderName)/wine.csv",
                     "pca wine.csv --label-column class -o link.csv",
                     "pca link.csv --label-column class -o hard.csv",
                     "pca wine.csv --label-column class --save-model hard.csv",
                     "ica wine.csv --label-column class -o z.csv --save-model ./wine.csv",
                     "embed --model m.json wine.csv --label-column class -o mlink.csv",
                     "embed --model m.json wine.csv --label-column class -o link.csv",
                     "tsne x.npy -o x.npy --perplexity 3",
                     "tsne x.npy -o t.csv --plot xlink.svg --perplexity 3",
                     "cluster --input x.npy --clusters 2 --output x.npy",
                     "cluster --input x.npy --labels y.npy --clusters 2 --output ./y.npy",
                     "plot scatter x.npy --output xlink.svg",
                     "pca x.npy --labels z.labels.npy -o z.npy",
                     "pca wine.csv --label-column class -o same.csv --save-model ./same.csv"] {
            if line.contains("z.labels.npy") { try NPY.write(integers: Array(repeating: 1, count: 12), to: s.folder.appendingPathComponent("z.labels.npy")) }
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
            #expect(r.stderr.contains("refusing to overwrite an input") || r.stderr.contains("name the same file"), "\(line): \(r.stderr)")
            #expect(!r.stderr.contains("Usage:"), "\(line): \(r.stderr)")
        }
        #expect(try s.read("wine.csv") == Self.csv)
        #expect(try s.read("m.json") == model)
        #expect(!s.exists("same.csv") && !s.exists("z.csv") && !s.exists("t.csv"))
        #expect(try s.readNPY("x.npy").rows == 12)
    }

    // MARK: 2. Numeric options

    @Test("2: numeric options are range-checked at parse time: huge, negative, zero, non-finite — exit 2, never a trap")
    func numericRanges() throws {
        let s = try Self.scratch()
        let cases: [(String, String)] = [
            ("pca wine.csv --label-column class --threads 2147483648", "--threads must lie in 1…1024, got 2147483648"),
            ("pca wine.csv --label-column class --threads -3", "--threads must lie in 1…1024, got -3"),
            ("ica wine.csv --label-column class --threads 0", "--threads must lie in 1…1024, got 0"),
            ("pca wine.csv --components -2", "--components must be at least 1, got -2"),
            ("ica wine.csv --max-iter 99999999999", "--max-iter must lie in 1…2147483647, got 99999999999"),
            ("rbm wine.csv --hidden 3000000000", "--hidden must lie in 1…2147483647, got 3000000000"),
            ("rbm wine.csv --learning-rate nan", "--learning-rate must be a finite number > 0, got nan"),
            ("kpca wine.csv --gamma -inf", "--gamma must be a finite number > 0, got -inf"),
            ("tsne wine.csv -o t.csv --perplexity -5", "--perplexity must be a finite number > 0, got -5.0"),
            ("tsne wine.csv -o t.csv --theta nan", "--theta must be a finite number ≥ 0, got nan"),
            ("tsne wine.csv -o t.csv --iterations 10", "--iterations must lie in 250…2147483647, got 10"),
            ("cluster --input wine.csv --clusters -1", "--clusters must lie in 1…2147483647, got -1"),
            ("fewshot --train a.npy --train-labels b.npy --test c.npy --test-labels d.npy --episodes -4", "--episodes must lie in 1…1000000, got -4"),
            ("batch x.yaml --jobs 100000", "--jobs must lie in 1…1024, got 100000"),
            ("pca wine.csv --rows -1", "--rows must lie in 1…2147483647, got -1"),
        ]
        for (line, message) in cases {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
            #expect(r.stderr.hasPrefix("latent: \(message)\n"), "\(line): \(r.stderr)")
        }
        #expect(s.files == ["wine.csv"])
    }

    // MARK: 3. Model files validated as a whole

    @Test("3: an edited model file — shapes that disagree, NaN, negative NMF factors — is refused naming the field, by embed and inspect")
    func editedModels() throws {
        let s = try Self.scratch()
        #expect(try s.run("pca wine.csv --label-column class --components 2 --save-model pca.json").status == 0)
        #expect(try s.run("nmf wine.csv --label-column class --components 2 --save-model nmf.json").status == 0)
        let pca = try Scratch.json(try s.read("pca.json"))
        let nmf = try Scratch.json(try s.read("nmf.json"))
        func edit(_ file: [String: Any], _ change: (inout [String: Any]) -> Void) throws -> String {
            var model = file["model"] as! [String: Any]
            change(&model)
            var copy = file
            copy["model"] = model
            return String(decoding: try JSONSerialization.data(withJSONObject: copy), as: UTF8.self)
        }
        let edits: [(String, String, String)] = [
            ("short-mean.json", try edit(pca) { $0["mean"] = [1.0, 2.0] }, "model.mean has 2 values, but model.components has 3 columns"),
            ("long-ratio.json", try edit(pca) { $0["explainedVarianceRatio"] = [0.5, 0.3, 0.2] }, "model.explainedVarianceRatio has 3 values, but model.components has 2 rows"),
            ("nan.json", try edit(pca) { m in
                var c = m["components"] as! [String: Any]; var v = c["storage"] as! [Any]; v[1] = "nan"; c["storage"] = v; m["components"] = c
            }, "model.components has nan at row 1, column 2"),
            ("shape.json", try edit(pca) { m in
                var c = m["components"] as! [String: Any]; c["rows"] = 3; c["columns"] = 2; m["components"] = c
            }, "model.mean has 3 values, but model.components has 2 columns"),
            ("negative.json", try edit(nmf) { m in
                var c = m["components"] as! [String: Any]; var v = c["storage"] as! [Any]; v[0] = -1.0; c["storage"] = v; m["components"] = c
            }, "model.components has a negative entry"),
        ]
        for (name, text, message) in edits {
            try s.write(name, text)
            for command in ["embed -q --model \(name) wine.csv --label-column class", "inspect \(name)"] {
                let r = try s.run(command)
                #expect(r.status == 1, "\(command) → \(r.status): \(r.stderr)")
                #expect(r.stderr.hasPrefix("latent: \(name): \(message)"), "\(command): \(r.stderr)")
                #expect(r.stdout.isEmpty)
            }
        }
    }

    // MARK: 4. Super-linear memory

    @Test("4: kernel PCA, exact t-SNE and huge RBM/dictionary/NMF sizes check their memory first and refuse with the number")
    func memory() throws {
        let s = try Scratch()
        try s.write("d.csv", TestData.csv(TestData.gaussian(300, 4, seed: 3), labels: false))
        let limit = ["LATENT_MEMORY_LIMIT": "1000000"]   // 1 MB
        for (args, what) in [(["kpca", "d.csv", "-o", "k.csv"], "kernel pca on 300 rows"),
                             (["tsne", "d.csv", "-o", "t.csv", "--method", "exact"], "exact t-SNE on 300 rows"),
                             (["rbm", "d.csv", "--hidden", "100000"], "an rbm with --hidden 100000"),
                             (["dict", "d.csv", "--atoms", "50000"], "a dictionary of 50000 atoms"),
                             (["nmf", "d.csv", "--components", "50000"], "nmf with 50000 components")] {
            let r = try s.run(args, environment: limit)
            #expect(r.status == 1, "\(args) → \(r.status): \(r.stderr)")
            #expect(r.stderr.contains("latent: \(what)") && r.stderr.contains("of memory, but 1 MB is available"), "\(args): \(r.stderr)")
        }
        #expect(!s.exists("k.csv") && !s.exists("t.csv"))
        let fits = try s.run(["kpca", "d.csv", "--components", "2", "-q"], environment: ["LATENT_MEMORY_LIMIT": "10000000"])
        #expect(fits.status == 0, "\(fits.stderr)")
    }

    // MARK: 5 and 9. SQLite: one self-contained file, read-only reads, one batch at a time

    static let batch = """
        name: wal
        datasets:
          - name: d
            path: d.npy
        methods:
          - method: truncated-svd
            components: [1, 2]
        """

    @Test("5: after a batch the .sqlite file alone holds the results; runs never creates a schema in a file that is not ours")
    func sqliteFiles() throws {
        let s = try Scratch()
        try NPY.write(Matrix<Double>.randomNormal(30, 4, seed: 2), to: s.folder.appendingPathComponent("d.npy"))
        try s.write("b.yaml", Self.batch)
        let r = try s.run("batch b.yaml --db r.sqlite")
        #expect(r.status == 0, "\(r.stderr)")
        let wal = (try? FileManager.default.attributesOfItem(atPath: s.path("r.sqlite-wal"))[.size] as? Int) ?? 0
        #expect(wal == 0, "the write-ahead log still holds \(wal) bytes")
        try FileManager.default.copyItem(atPath: s.path("r.sqlite"), toPath: s.path("copy.sqlite"))
        let list = try s.run("runs list --db copy.sqlite --csv")
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").count == 1 + 2, "\(list.stdout)")

        // An empty file is a valid, empty SQLite database: not ours, left as it is.
        try s.write("empty.sqlite", "")
        for line in ["runs list --db empty.sqlite", "runs compare --db empty.sqlite", "runs show 1 --db empty.sqlite"] {
            let e = try s.run(line)
            #expect(e.status == 1, "\(line): \(e.stderr)")
            #expect(e.stderr.contains("empty.sqlite: a SQLite file without Latent's tables"), "\(line): \(e.stderr)")
        }
        #expect(try s.read("empty.sqlite").isEmpty)
        #expect(!s.exists("empty.sqlite-wal") && !s.exists("empty.sqlite-shm"))
        // Not SQLite at all, or a folder: SQLite's error number and the file.
        try s.write("text.sqlite", String(repeating: "not a database\n", count: 100))
        let text = try s.run("runs list --db text.sqlite")
        #expect(text.status == 1 && text.stderr.contains("text.sqlite: SQLite error 26"), "\(text.stderr)")
        try FileManager.default.createDirectory(atPath: s.path("dir.sqlite"), withIntermediateDirectories: false)
        let folder = try s.run("runs list --db dir.sqlite")
        #expect(folder.status == 1 && folder.stderr.contains("dir.sqlite: SQLite error 14: is a folder"), "\(folder.stderr)")
    }

    @Test("9: a second batch on a database in use says so and stops, leaving the first one's runs alone")
    func batchLock() throws {
        let s = try Scratch()
        try NPY.write(Matrix<Double>.randomNormal(30, 4, seed: 2), to: s.folder.appendingPathComponent("d.npy"))
        try s.write("b.yaml", Self.batch)
        #expect(try s.run("batch b.yaml --db r.sqlite").status == 0)
        // Hold the lock a running batch holds.
        let fd = open(s.path("r.sqlite"), O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        let second = try s.run("batch b.yaml --db r.sqlite")
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("r.sqlite: another `latent batch` is using this database"), "\(second.stderr)")
        #expect(!second.stderr.contains("interrupted"))
        flock(fd, LOCK_UN)
        close(fd)
        let third = try s.run("batch b.yaml --db r.sqlite")
        #expect(third.status == 0 && third.stdout.contains("2 skipped (done before)"), "\(third.stdout) \(third.stderr)")
    }

    // MARK: 6. Stale temporaries

    @Test("6: temporaries a killed process left (.NAME.PID.N.tmp, PID dead) go on the next write; live ones and others stay")
    func staleTemporaries() throws {
        let s = try Self.scratch()
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let alive = getpid()
        let names = [".out.csv.\(dead).123.tmp", ".out.csv.\(dead).9.tmp", ".out.csv.\(alive).5.tmp", ".out.csv.x.5.tmp",
                     ".other.csv.\(dead).1.tmp", "out.csv.\(dead).1.tmp"]
        for name in names { try s.write(name, "partial") }
        let r = try s.run("pca wine.csv --label-column class -o out.csv")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!s.exists(".out.csv.\(dead).123.tmp") && !s.exists(".out.csv.\(dead).9.tmp"))
        for kept in names.dropFirst(2) { #expect(s.exists(kept), "\(kept) was removed") }
    }

    // MARK: 7. Degenerate input

    @Test("7: degenerate data — constant, overflowing, NaN in .npy, identical rows, rank-deficient whitening — stops with a reason, never prints inf or nan")
    func degenerate() throws {
        let s = try Scratch()
        try s.write("constant.csv", "a,b\n1,2\n1,2\n1,2\n")
        try s.write("huge.csv", "a,b\n1,2\n1e300,3\n4,5\n")
        try s.write("same.csv", String(repeating: "1,2,3\n", count: 40))
        try s.write("rank1.csv", "a,b,c\n1,2,3\n2,4,6\n3,6,9\n4,8,12.000001\n")
        var nan = Matrix<Double>.randomNormal(5, 3, seed: 1)
        nan[3, 1] = .nan
        try NPY.write(nan, to: s.folder.appendingPathComponent("nan.npy"))
        let cases: [(String, String)] = [
            ("pca constant.csv", "constant.csv: pca: every feature is constant (zero variance)"),
            ("pca constant.csv --batch-size 3 --components 1", "constant.csv: pca: every feature is constant"),
            ("pca huge.csv", "huge.csv: row 2, column 1: 1e+300 is too large"),
            ("ica huge.csv", "huge.csv: row 2, column 1: 1e+300 is too large"),
            ("pca nan.npy", "nan.npy: row 4, column 2: nan (NaN and infinity are refused)"),
            ("tsne nan.npy -o t.csv --perplexity 2", "nan.npy: row 4, column 2: nan"),
            ("cluster --input nan.npy --clusters 2", "nan.npy: row 4, column 2: nan"),
            ("tsne same.csv -o t.csv --perplexity 5", "same.csv: tsne: all 40 rows are identical"),
            ("pca rank1.csv --whiten --components 3", "--whiten: component 2 has zero variance"),
        ]
        for (line, message) in cases {
            let r = try s.run(line)
            #expect(r.status == 1, "\(line) → \(r.status): \(r.stderr)")
            #expect(r.stderr.contains("latent: \(message)"), "\(line): \(r.stderr)")
            #expect(!r.stdout.contains("nan") && !r.stdout.contains("inf"), "\(line): \(r.stdout)")
        }
        // The iterations exactly equal to the exploration phase: the KL is computed, not a sentinel.
        try s.write("blobs.csv", TestData.csv(TestData.gaussian(40, 3, seed: 4), labels: false))
        let t = try s.run("tsne blobs.csv -o t.csv --perplexity 5 --iterations 250")
        #expect(t.status == 0, "\(t.stderr)")
        let kl = t.stderr.split(separator: " ").firstIndex(of: "KL").map { Double(t.stderr.split(separator: " ")[$0 + 1].trimmingCharacters(in: .punctuationCharacters)) } ?? nil
        #expect(kl.map { $0 >= 0 && $0 < 100 } == true, "\(t.stderr)")
    }

    // MARK: 10. Formats, metrics, batch sizes, read-only files, missing folders

    @Test("10: a mismatched output format, an unknown metric, a batch size below the components, a read-only output, a missing folder")
    func checksBeforeWork() throws {
        let s = try Self.scratch()
        try NPY.write(Matrix<Double>.randomNormal(12, 3, seed: 1), to: s.folder.appendingPathComponent("x.npy"))
        for (line, message) in [("cluster --input x.npy --clusters 2 --output cl.csv", "--output must end in .npy"),
                                ("tsne x.npy -o t.txt", "--output must end in .csv or .npy"),
                                ("tsne x.npy -o t.csv --plot t.png", "--plot must end in .svg"),
                                ("pca x.npy --batch-size 1 --components 2", "--batch-size 1 is smaller than --components 2"),
                                ("pca x.npy --batch-size 1", "--batch-size 1 without --components would keep only 1 of the 3 components"),
                                ("pca x.npy --batch-size 2 -o z.npy", "--batch-size 2 without --components"),
                                ("pca x.npy -o missing/z.csv", "--output missing/z.csv: the folder"),
                                ("embed --model m.json x.npy -o nowhere/z.csv", "--output nowhere/z.csv: the folder"),
                                ("train classifier --checkpoint nowhere/c.safetensors --epochs 1", "--checkpoint nowhere/c.safetensors: the folder"),
                                ("pca x.npy --save-model .", "--save-model . is a folder")] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(line): \(r.stderr)")
        }
        try s.write("locked.csv", "keep me\n")
        chmod(s.path("locked.csv"), 0o444)
        for line in ["pca x.npy -o locked.csv", "pca x.npy -o ./locked.csv -q", "pca x.npy --save-model locked.csv"] {
            let r = try s.run(line)
            #expect(r.status == 2 && r.stderr.contains("locked.csv is read-only; it is left as it is"), "\(line): \(r.stderr)")
        }
        #expect(try s.read("locked.csv") == "keep me\n")

        try NPY.write(Matrix<Double>.randomNormal(30, 4, seed: 2), to: s.folder.appendingPathComponent("d.npy"))
        try s.write("b.yaml", Self.batch)
        #expect(try s.run("batch b.yaml --db r.sqlite").status == 0)
        for command in ["compare", "list"] {
            let r = try s.run("runs \(command) --db r.sqlite --metric nosuch")
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("latent: --metric nosuch: no run in r.sqlite recorded it; recorded: explained-variance"), "\(r.stderr)")
        }
        let db = try s.run("batch b.yaml --db d.npy")
        #expect(db.status == 2 && db.stderr.contains("--db d.npy is the same file as dataset 'd'"), "\(db.stderr)")
        let yaml = try s.run("batch b.yaml --db ./b.yaml")
        #expect(yaml.status == 2 && yaml.stderr.contains("is the same file as the batch file"), "\(yaml.stderr)")
    }

    // MARK: 11–13. Errors a person can act on

    @Test("11–13: errors name the file and place, use the CLI's words, hint at --delimiter, and escape control characters")
    func messages() throws {
        let s = try Self.scratch()
        try FileManager.default.createDirectory(atPath: s.path("folder.csv"), withIntermediateDirectories: false)
        let folder = try s.run("pca -q folder.csv")
        #expect(folder.status == 1 && folder.stderr == "latent: folder.csv: cannot read: is a folder, not a file\n", "\(folder.stderr)")
        let tsneFolder = try s.run("tsne folder.csv -o t.csv")
        #expect(tsneFolder.status == 1 && tsneFolder.stderr.contains("folder.csv: cannot read: is a folder"), "\(tsneFolder.stderr)")

        try s.write("semi.csv", "a;b;c\n1,5;2,0;3,1\n4,0;5,5;6,2\n")
        let semi = try s.run("pca semi.csv")
        #expect(semi.status == 1 && semi.stderr.contains("semi.csv:") && semi.stderr.contains("pass --delimiter ';'"), "\(semi.stderr)")

        try s.write("evil.csv", "a,b\n1,2\n3,\"x\u{1B}[31mred\nline\"\n")
        let evil = try s.run("pca -q evil.csv")
        #expect(evil.status == 1)
        #expect(evil.stderr == "latent: evil.csv:3:2: not a number: \"x\\u{1B}[31mred\\nline\"\n", "\(evil.stderr)")

        try s.write("nan.csv", "a,b\n1,2\nnan,3\n")
        let nan = try s.run("pca -q nan.csv")
        #expect(nan.stderr == "latent: nan.csv:3:1: \"nan\" is not a finite number (NaN and infinity are refused)\n", "\(nan.stderr)")

        try s.write("small.csv", "1,2,3\n4,5,7\n7,8,8\n2,1,0\n")
        for (line, words) in [("tsne small.csv -o t.csv --perplexity 30", "--perplexity 30.0 must be below the number of rows"),
                              ("pca small.csv --components 9", "pca: --components 9 exceeds the 3 features")] {
            let r = try s.run(line)
            #expect(r.status == 1 && r.stderr.contains(words), "\(line): \(r.stderr)")
            for api in ["allowNonFinite", "maxIterations", ".exact", "EstimatorError", "TSNE:", "PCA:"] {
                #expect(!r.stderr.contains(api), "\(line): \(r.stderr)")
            }
        }
    }

    // MARK: 14. Exit codes

    @Test("14: data errors exit 1 without usage text; usage errors exit 2; `latent help NOSUCH` exits 2")
    func exitCodes() throws {
        let s = try Scratch()
        try NPY.write(Matrix<Double>.randomNormal(10, 3, seed: 1), to: s.folder.appendingPathComponent("a.npy"))
        try NPY.write(Matrix<Double>.randomNormal(10, 4, seed: 2), to: s.folder.appendingPathComponent("b.npy"))
        try NPY.write(integers: (0..<10).map { $0 % 2 }, to: s.folder.appendingPathComponent("y.npy"))
        try NPY.write(integers: [0, 1, 0], to: s.folder.appendingPathComponent("few.npy"))
        for line in ["fewshot --train a.npy --train-labels y.npy --test b.npy --test-labels y.npy --shots 1 --episodes 2",
                     "probe --train a.npy --train-labels y.npy --test b.npy --test-labels y.npy",
                     "cluster --input a.npy --labels few.npy --clusters 2",
                     "plot grid a.npy --output g.png --side 2",
                     "tsne a.npy -o t.csv --labels few.npy --perplexity 2"] {
            let r = try s.run(line)
            #expect(r.status == 1, "\(line) → \(r.status): \(r.stderr)")
            #expect(!r.stderr.contains("Usage:") && r.stderr.split(separator: "\n").count == 1, "\(line): \(r.stderr)")
        }
        for line in ["help frob", "help pca frob", "pca a.npy --nonsense"] {
            let r = try s.run(line)
            #expect(r.status == 2, "\(line) → \(r.status): \(r.stderr)")
        }
        #expect(try s.run("help pca").status == 0)
    }

    // MARK: Fuzzing

    @Test("the readers survive a short seeded mutation fuzz (latent bench fuzz): zero traps")
    func fuzz() throws {
        let s = try Scratch()
        let r = try s.run("bench fuzz --inputs 6000 --seed 15")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("total: 6000 inputs, 0 crashes"), "\(r.stdout)")
        for reader in ["csv", "npy", "idx", "yaml", "model", "safetensors"] {
            #expect(r.stdout.contains("\(reader): 1000 inputs"), "\(r.stdout)")
        }
    }
}
