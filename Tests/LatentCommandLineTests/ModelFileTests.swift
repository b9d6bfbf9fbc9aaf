import Foundation
import LatentCore
import LatentIO
import LatentTestSupport
import Testing

/// `--save-model`, `latent embed` and `latent inspect`.
@Suite("latent model files")
struct ModelFileTests {
    static let fits: [String] = [
        "pca --components 2 --whiten",
        "pca --components 2 --batch-size 12",
        "kpca --kernel poly --degree 2 --components 3",
        "ica --components 2 --max-iter 50",
        "dict --atoms 3 --alpha 0.1 --batch-size 10",
        "dict --atoms 3 --batch --max-iter 5 --transform-algorithm lasso-cd --transform-alpha 0.05",
        "nmf --components 2 --max-iter 50",
        "rbm --hidden 3 --epochs 2 --batch-size 6",
    ]

    @Test("save-model then embed reproduces the original run's output exactly", arguments: fits)
    func roundTrip(fit: String) throws {
        let s = try Scratch()
        var rng = Xoshiro256StarStar(seed: 11)
        let x = Matrix<Double>(rows: 36, columns: 4) { _, _ in rng.uniform(0, 1) }
        try s.write("train.csv", TestData.csv(x))
        let args = fit.split(separator: " ").map(String.init)
        let r = try s.run(args + ["train.csv", "--label-column", "species", "--output", "z.csv", "--save-model", "m.json", "--quiet"])
        #expect(r.status == 0, "\(fit): \(r.stderr)")
        #expect(r.stderr.isEmpty)
        let e = try s.run("embed --model m.json train.csv --label-column species --output e.csv --quiet")
        #expect(e.status == 0, "\(fit): \(e.stderr)")
        #expect(try s.read("e.csv") == s.read("z.csv"), "\(fit)")
        // Without --output, embed prints the same CSV on stdout.
        let piped = try s.run("embed --model m.json train.csv --label-column species --quiet")
        #expect(piped.stdout == (try s.read("z.csv")))
        let model = try Scratch.json(s.read("m.json"))
        #expect(model["format"] as? String == "latent-model")
        #expect(model["version"] as? Int == 1)
        #expect(model["method"] as? String == String(args[0]))
        #expect(model["inputFeatures"] as? Int == 4)
        #expect(model["options"] is [String: Any] && model["model"] is [String: Any] && model["latentVersion"] is String)
    }

    @Test("inspect prints method, options, shapes and explained variance; --json the same")
    func inspect() throws {
        let s = try Scratch()
        try s.write("train.csv", TestData.csv(TestData.gaussian(30, 4, seed: 12)))
        #expect(try s.run("pca train.csv --label-column species --components 2 --save-model pca.json -q").status == 0)
        let text = try s.run("inspect pca.json")
        #expect(text.status == 0, "\(text.stderr)")
        for needle in ["method: pca", "input features: 4", "output features: 2", "explained variance", "components=2", "latent-model v1"] {
            #expect(text.stdout.contains(needle), "inspect lacks \(needle):\n\(text.stdout)")
        }
        let json = try Scratch.json(try s.run("inspect pca.json --json").stdout)
        #expect(json["method"] as? String == "pca")
        #expect((json["components"] as? [Any])?.count == 2)
        #expect((json["options"] as? [String: Any])?["components"] as? Int == 2)

        #expect(try s.run("nmf train.csv --label-column species --components 2 --max-iter 30 --save-model nmf.json -q").status == 1,
                "nmf refuses negative data")
        var rng = Xoshiro256StarStar(seed: 1)
        try NPY.write(Matrix<Double>(rows: 20, columns: 3) { _, _ in rng.uniform(0, 1) }, to: URL(fileURLWithPath: s.path("p.npy")))
        #expect(try s.run("ica p.npy --max-iter 3 --save-model ica.json -q").status == 0)
        let ica = try s.run("inspect ica.json")
        #expect(ica.stdout.contains("converged: no") && ica.stdout.contains("iterations: 3"))
    }
}
