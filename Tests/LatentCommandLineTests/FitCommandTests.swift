import Foundation
import LatentCore
import LatentDecomposition
import LatentIO
import LatentTestSupport
import Testing

/// Happy paths of `latent pca|kpca|ica|dict|nmf|rbm`: output shapes, labels, and the same
/// numbers as the library.
@Suite("latent fitting commands")
struct FitCommandTests {
    @Test("pca on CSV with a label column: scores pc1…pck equal the library's, labels kept")
    func pcaCSV() throws {
        let s = try Scratch()
        try s.write("data.csv", TestData.csv(TestData.gaussian(40, 5, seed: 1)))
        let r = try s.run("pca data.csv --label-column species --components 3 --output scores.csv")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("wrote 40 × 3 pca embedding to scores.csv"))
        let out = try s.readCSV("scores.csv")
        #expect(out.header == ["pc1", "pc2", "pc3"])
        #expect(out.labels == (0..<40).map { ["a", "b", "c"][$0 % 3] })
        let x: Matrix<Double> = try CSV.read(URL(fileURLWithPath: s.path("data.csv")), label: .name("species")).features
        let expected = try PCA<Double>(components: 3).fit(x).transform(x)
        #expect(maxAbsDifference(out.values, expected) < 1e-12)
    }

    @Test("pca without --output prints the explained-variance table; --json the same as JSON")
    func pcaSummary() throws {
        let s = try Scratch()
        let x = TestData.gaussian(50, 6, seed: 2)
        try s.write("data.csv", TestData.csv(x, labels: false))
        let text = try s.run("pca data.csv --variance 0.9 --whiten")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("explained variance"))
        #expect(text.stdout.contains("cumulative"))
        let json = try s.run("pca data.csv --variance 0.9 --whiten --json --quiet")
        #expect(json.stderr.isEmpty)
        let object = try Scratch.json(json.stdout)
        #expect(object["method"] as? String == "pca")
        let rows = try #require(object["components"] as? [[String: Any]])
        let model = try PCA<Double>(components: .varianceFraction(0.9), whiten: true).fit(
            CSV.read(URL(fileURLWithPath: s.path("data.csv"))).features)
        #expect(rows.count == model.outputFeatures)
        let ratios = rows.map { $0["explainedVarianceRatio"] as! Double }
        #expect(maxAbsDifference(ratios, model.explainedVarianceRatio) < 1e-12)
        #expect((object["explainedVarianceRatioTotal"] as! Double) >= 0.9)
    }

    @Test("pca --batch-size drives IncrementalPCA batch by batch: same model as IncrementalPCA.fit")
    func pcaIncremental() throws {
        let s = try Scratch()
        let x = TestData.gaussian(45, 4, seed: 3)
        try NPY.write(x, to: URL(fileURLWithPath: s.path("x.npy")))
        let r = try s.run("pca x.npy --components 2 --batch-size 10 --output z.npy")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("incremental pca"))
        let expected = try IncrementalPCA<Double>(components: 2).fit(x, batchSize: 10).transform(x)
        #expect(maxAbsDifference(try s.readNPY("z.npy"), expected) < 1e-12)
    }

    @Test("kpca rbf: n × k output; an explicit --gamma is recorded")
    func kpca() throws {
        let s = try Scratch()
        let x = TestData.gaussian(30, 3, seed: 4)
        try NPY.write(x, to: URL(fileURLWithPath: s.path("x.npy")))
        let r = try s.run("kpca x.npy --kernel rbf --gamma 0.3 --components 4 --fit-inverse-transform --output z.csv --save-model k.json")
        #expect(r.status == 0, "\(r.stderr)")
        let out = try s.readCSV("z.csv")
        #expect(out.header == ["z1", "z2", "z3", "z4"])
        #expect(out.values.rows == 30)
        let expected = try KernelPCA<Double>(kernel: .rbf(gamma: 0.3), components: 4, fitInverseTransform: true).fit(x).transform(x)
        #expect(maxAbsDifference(out.values, expected) < 1e-10)
        let model = try Scratch.json(s.read("k.json"))
        #expect((model["options"] as? [String: Any])?["gamma"] as? Double == 0.3)
    }

    @Test("ica on .npy with --labels writes .npy and the labels companion; equals FastICA")
    func ica() throws {
        let s = try Scratch()
        var rng = Xoshiro256StarStar(seed: 5)
        let sources = Matrix<Double>(rows: 200, columns: 2) { i, j in j == 0 ? Double.sin(Double(i) / 7) : rng.uniform(-1, 1) }
        let x = Matrix.gemm(sources, Matrix(rows: 2, columns: 3, storage: [1, 0.5, 0.2, 0.3, 1, 0.7]))
        try NPY.write(x, to: URL(fileURLWithPath: s.path("x.npy")))
        try NPY.write(integers: (0..<200).map { $0 % 4 }, to: URL(fileURLWithPath: s.path("y.npy")))
        let r = try s.run("ica x.npy --labels y.npy --components 2 --max-iter 400 --seed 7 --output sources.npy")
        #expect(r.status == 0, "\(r.stderr)")
        let z = try s.readNPY("sources.npy")
        let expected = try FastICA<Double>(components: 2, maxIterations: 400, seed: 7).fit(x).transform(x)
        #expect(maxAbsDifference(z, expected) < 1e-10)
        #expect(try NPY.readIntegers(URL(fileURLWithPath: s.path("sources.labels.npy"))) == (0..<200).map { $0 % 4 })
    }

    @Test("dict online (partialFit steps) and batch: codes of n × atoms; progress on stderr")
    func dictionary() throws {
        let s = try Scratch()
        try s.write("data.csv", TestData.csv(TestData.gaussian(40, 6, seed: 6)))
        let online = try s.run("dict data.csv --label-column last --atoms 4 --alpha 0.2 --batch-size 8 --epochs 2 --output codes.csv")
        #expect(online.status == 0, "\(online.stderr)")
        #expect(online.stderr.contains("dictionary learning: done"))
        let codes = try s.readCSV("codes.csv")
        #expect(codes.values.rows == 40 && codes.values.columns == 4)
        #expect(codes.labels?.first == "a")
        let npy = try s.run("dict data.csv --label-column species --atoms 4 --alpha 0.2 --batch-size 8 --output codes.npy")
        #expect(npy.status == 0, "\(npy.stderr)")
        #expect(npy.stderr.contains("(labels in codes.labels.npy; ids: 0=a, 1=b, 2=c)"))
        #expect(try NPY.readIntegers(URL(fileURLWithPath: s.path("codes.labels.npy"))) == (0..<40).map { $0 % 3 })
        let batch = try s.run("dict data.csv --label-column species --atoms 4 --batch --max-iter 15 --transform-algorithm omp --transform-nonzeros 2 --json -q")
        #expect(batch.status == 0, "\(batch.stderr)")
        let summary = try Scratch.json(batch.stdout)
        #expect(summary["transformAlgorithm"] as? String == "omp(nonzeros: 2)")
        let x: Matrix<Double> = try CSV.read(URL(fileURLWithPath: s.path("data.csv")), label: .last).features
        let model = try DictionaryLearning<Double>(atoms: 4, transformAlgorithm: .omp(nonzeros: 2), maxIterations: 15).fit(x)
        let objective = try #require(summary["objective"] as? Double)
        #expect(abs(objective - model.report.objective.last!) <= 1e-9 * abs(objective))
    }

    @Test("nmf: non-negative weights; the reconstruction error equals the library's")
    func nmf() throws {
        let s = try Scratch()
        var rng = Xoshiro256StarStar(seed: 8)
        let x = Matrix<Double>(rows: 30, columns: 5) { _, _ in rng.uniform(0, 2) }
        try NPY.write(x, to: URL(fileURLWithPath: s.path("x.npy")))
        let r = try s.run("nmf x.npy --components 2 --solver mu --beta-loss kullback-leibler --max-iter 100 --output w.npy --json")
        #expect(r.status == 0, "\(r.stderr)")
        let w = try s.readNPY("w.npy")
        #expect(w.rows == 30 && w.columns == 2 && w.storage.allSatisfy { $0 >= 0 })
        let model = try NMF<Double>(components: 2, solver: .multiplicativeUpdate, betaLoss: .kullbackLeibler, maxIterations: 100).fit(x)
        let summary = try Scratch.json(r.stdout)
        let error = try #require(summary["reconstructionError"] as? Double)
        #expect(abs(error - model.reconstructionError) <= 1e-10 * model.reconstructionError)
        #expect(maxAbsDifference(w, try model.transform(x)) < 1e-12)
    }

    @Test("rbm on IDX with --scale and IDX labels: same hidden probabilities as BernoulliRBM.fit")
    func rbm() throws {
        let s = try Scratch()
        var rng = Xoshiro256StarStar(seed: 9)
        let pixels = (0..<(25 * 9)).map { _ in UInt8(rng.integer(below: 256)) }
        try Data([0, 0, 8, 3] + [25, 3, 3].flatMap { [0, 0, 0, UInt8($0)] } + pixels).write(to: URL(fileURLWithPath: s.path("images.idx")))
        try Data([0, 0, 8, 1, 0, 0, 0, 25] + (0..<25).map { UInt8($0 % 10) }).write(to: URL(fileURLWithPath: s.path("labels.idx")))
        let r = try s.run("rbm images.idx --scale --labels labels.idx --hidden 4 --epochs 3 --batch-size 5 --seed 3 --output h.csv")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("rbm training: done"))
        let out = try s.readCSV("h.csv")
        #expect(out.labels == (0..<25).map { String($0 % 10) })
        let x = Matrix<Double>(rows: 25, columns: 9, storage: pixels.map { Double($0) / 255 })
        let expected = try BernoulliRBM<Double>(hiddenUnits: 4, batchSize: 5, epochs: 3, seed: 3).fit(x).transform(x)
        #expect(maxAbsDifference(out.values, expected) < 1e-12)
        let summary = try s.run("rbm images.idx --scale --hidden 4 --epochs 3 --batch-size 5 --seed 3 --quiet")
        #expect(summary.stdout.contains("pseudo-likelihood"))
        #expect(summary.stderr.isEmpty)
        // Not a terminal: plain progress lines, one per update with a zero interval.
        let logged = try s.run(["rbm", "images.idx", "--scale", "--hidden", "4", "--epochs", "2", "--batch-size", "5"],
                               environment: ["LATENT_PROGRESS_INTERVAL": "0"])
        let lines = logged.stderr.split(separator: "\n").filter { $0.hasPrefix("latent: rbm training") }
        #expect(lines.count == 10, "\(logged.stderr)")
        #expect(lines.first?.hasPrefix("latent: rbm training 10% (1/10)") == true)
        #expect(lines.last?.hasPrefix("latent: rbm training: done in") == true)
        #expect(!logged.stderr.contains("\u{1B}"), "no terminal escapes in logs")
    }

    @Test("CSV options: --delimiter, --no-header, --label-column by position, --drop-columns, --rows")
    func csvOptions() throws {
        let s = try Scratch()
        try s.write("data.txt", "1;x;2;9\n3;y;5;9\n4;x;4;9\n8;z;1;9\n6;y;7;9\n")
        let r = try s.run("pca data.txt --delimiter ; --no-header --label-column 2 --drop-columns 4 --rows 4 --components 1 --output z.csv -q")
        #expect(r.status == 0, "\(r.stderr)")
        let out = try s.readCSV("z.csv")
        #expect(out.labels == ["x", "y", "x", "z"])
        let x = Matrix<Double>(rows: 4, columns: 2, storage: [1, 2, 3, 5, 4, 4, 8, 1])
        #expect(maxAbsDifference(out.values, try PCA<Double>(components: 1).fit(x).transform(x)) < 1e-12)
        // A header cell that is a number is read as data with --no-header, and named with --header.
        try s.write("h.csv", "10,20\n1,2\n3,5\n4,4\n")
        let withHeader = try Scratch.json(try s.run("pca h.csv --header --json -q").stdout)
        let without = try Scratch.json(try s.run("pca h.csv --no-header --json -q").stdout)
        #expect(withHeader["samples"] as? Int == 3)
        #expect(without["samples"] as? Int == 4)
    }

    @Test("--help of every fitting command documents its options with defaults")
    func help() throws {
        let s = try Scratch()
        let expectations: [String: [String]] = [
            "pca": ["--components", "--variance", "--solver", "--whiten", "--batch-size", "--save-model", "--seed", "--threads", "default: auto"],
            "kpca": ["--kernel", "--gamma", "--degree", "--coef0", "--fit-inverse-transform", "--alpha", "(default: 3)"],
            "ica": ["--algorithm", "--fun", "--whiten", "--whiten-solver", "--tol", "--max-iter", "(default: 200)"],
            "dict": ["--atoms", "--alpha", "--batch-size", "--epochs", "--online", "--batch", "--transform-algorithm", "--positive-code", "(default: 256)"],
            "nmf": ["--components", "--solver", "--beta-loss", "--init", "--alpha-w", "--alpha-h", "--l1-ratio", "--max-iter", "--tol", "default: cd"],
            "rbm": ["--hidden", "--learning-rate", "--batch-size", "--epochs", "--cd-k", "--persistent", "(default: 0.1)"],
        ]
        for (command, needles) in expectations {
            let r = try s.run([command, "--help"])
            #expect(r.status == 0)
            for needle in needles + ["--label-column", "--delimiter", "--output", "--json", "--quiet"] {
                #expect(r.stdout.contains(needle), "latent \(command) --help lacks \(needle)")
            }
        }
    }
}
