import Foundation
import LatentIO
import Testing

/// `latent demo` on a small slice of Fashion-MNIST: the table, the files and the pictures appear.
/// (The full run is a benchmark: `scripts/demo`.)
@Suite(.enabled(if: FashionMNIST.isAvailable(), "needs dataset-fashion-mnist (scripts/install-deps)"))
struct DemoTests {
    @Test func quickDemoWritesTableFilesAndPictures() throws {
        let cli = try Scratch()
        let r = try cli.run(["demo", "--train-rows", "400", "--test-rows", "200", "--episodes", "2",
                             "--methods", "raw", "pca", "--tsne-points", "150", "--out", cli.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1-shot") && r.stdout.contains("pca") && r.stdout.contains("probe 1%"))
        let csv = try cli.read("out/fewshot.csv").split(separator: "\n")
        #expect(csv.first == "method,shots,mean_accuracy,ci95")
        #expect(csv.count == 1 + 2 * 4)
        for line in csv.dropFirst() {
            let accuracy = Double(line.split(separator: ",")[2])!
            #expect(accuracy > 0.1 && accuracy <= 1)          // above chance (10 classes)
        }
        for file in ["fewshot.json", "fewshot.svg", "tsne.svg", "index.html", "samples.png", "pca-components.png", "pca-reconstructions.png"] {
            #expect(cli.exists("out/" + file), "missing \(file)")
        }
        let html = try cli.read("out/index.html")
        #expect(html.contains("pca-components.png") && html.contains("<pre>"))
    }
}

/// `latent demo --suite deep --quick` on a small slice: every deep row, both probes, and the
/// deep suite's pictures (augmentations, nearest neighbours, t-SNE of the best learned encoder and
/// of the VAE codes, the VAEs' samples, interpolations and traversals).
@Suite(.enabled(if: FashionMNIST.isAvailable(), "needs dataset-fashion-mnist (scripts/install-deps)"))
struct DeepDemoTests {
    @Test func quickDeepSuiteWritesEveryRowAndPicture() throws {
        let cli = try Scratch()
        let r = try cli.run(["demo", "--suite", "deep", "--quick", "--train-rows", "300", "--test-rows", "100", "--episodes", "2",
                             "--tsne-points", "60", "--threads", "2", "--out", cli.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("probe 1%") && r.stdout.contains("probe 10%"))
        #expect(r.stdout.contains("episodes on 100 test images"), "the table names the split it evaluated on")
        let csv = try cli.read("out/fewshot.csv").split(separator: "\n")
        let methods = Set(csv.dropFirst().map { $0.split(separator: ",")[0] })
        #expect(methods == ["raw", "random-init", "simclr", "rotation", "context", "autoencoder", "vae", "beta-vae"])
        for file in ["augmentations.png", "tsne.svg", "index.html", "fewshot.json"] { #expect(cli.exists("out/" + file), "missing \(file)") }
        for vae in ["vae", "beta-vae"] {
            for picture in ["samples", "interpolations", "traversals", "reconstructions"] {
                #expect(cli.exists("out/\(vae)-\(picture).png"), "missing \(vae)-\(picture).png")
                #expect(try cli.read("out/index.html").contains("\(vae)-\(picture).png"))
            }
        }
        // the VAE's codes get their own t-SNE unless the VAE is the best encoder (then tsne.svg shows them)
        let page = try cli.read("out/index.html")
        #expect(cli.exists("out/tsne-vae.svg") || page.contains("of the vae features"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.path("out")).contains { $0.hasSuffix("-neighbours.png") })
        // the classic suite refuses --quick, and deep method names are checked against the deep suite
        #expect(try cli.run(["demo", "--quick", "--out", cli.path("o2")]).status == 2)
        #expect(try cli.run(["demo", "--suite", "deep", "--methods", "pca", "--out", cli.path("o3")]).status == 2)
        // --readout-blocks reads at most the encoder's blocks (3 convolution blocks and the dense
        // layer; 3 without it), --dense is at least 0, and both only in the deep suite
        #expect(try cli.run(["demo", "--suite", "deep", "--readout-blocks", "5", "--out", cli.path("o4")]).status == 2)
        #expect(try cli.run(["demo", "--suite", "deep", "--dense", "0", "--readout-blocks", "4", "--out", cli.path("o4")]).status == 2)
        #expect(try cli.run(["demo", "--suite", "deep", "--dense", "-1", "--out", cli.path("o4")]).status == 2)
        #expect(try cli.run(["demo", "--dense", "64", "--out", cli.path("o5")]).status == 2)
        #expect(try cli.run(["demo", "--readout-blocks", "2", "--out", cli.path("o5")]).status == 2)
    }
}
