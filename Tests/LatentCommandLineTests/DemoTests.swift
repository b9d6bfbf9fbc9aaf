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
