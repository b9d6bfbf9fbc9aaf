import Foundation
import Latent

/// The demo's pictures and the `index.html` that shows them with the table.
struct DemoPictures {
    let folder: URL
    private(set) var figures: [(file: String, caption: String)] = []

    init(folder: URL) { self.folder = folder }

    /// A grid of two training images per class, captioned with class names.
    mutating func samples(_ data: FashionMNIST.Dataset<Float>) throws {
        var rows = [Int]()
        for label in 0..<10 { rows += data.labels.indices.filter { data.labels[$0] == label }.prefix(2) }
        let image = ImageGrid.samples(data.images.rows(at: rows), labels: rows.map { data.labels[$0] },
                                      classNames: FashionMNIST.classNames, title: "Fashion-MNIST training samples")
        try add(image, "samples.png", "Two training images of each class (pixels scaled to [0, 1]).")
    }

    /// A method's learned components as images and its reconstructions of the first test images.
    mutating func method(_ name: String, summary: String, features: DemoFeatures, originals: Matrix<Float>) throws {
        if let components = features.components {
            let shown = components.rows(0..<Swift.min(32, components.rows))
            let image = ImageGrid.components(shown, signed: name != "nmf", title: "\(name): \(summary)")
            try add(image, "\(name)-components.png",
                    "\(name): the first \(shown.rows) learned components as 28 × 28 images" +
                    (name == "nmf" ? " (parts: dark is large)." : " (blue negative, white zero, red positive)."))
        }
        if let reconstructions = features.reconstructions {
            let image = ImageGrid.reconstructions(originals: originals.rows(0..<reconstructions.rows), reconstructions: reconstructions,
                                                  title: "\(name): test images and their reconstructions")
            try add(image, "\(name)-reconstructions.png", "\(name): test images beside their reconstructions from the representation.")
        }
    }

    /// Few-shot accuracy against shots, one line per method with 95% CI error bars.
    mutating func accuracyAgainstShots(_ results: [DemoResult]) throws {
        let series = results.map { r in
            LinePlot.Series(name: r.method, x: r.fewShot.map { Double($0.shots) }, y: r.fewShot.map(\.meanAccuracy),
                            errors: r.fewShot.map(\.ci95))
        }
        let plot = LinePlot(title: "Few-shot accuracy on Fashion-MNIST (nearest class mean)", xLabel: "labelled examples per class",
                            yLabel: "test accuracy", xScale: .log2)
        try plot.write(series, to: folder.appendingPathComponent("fewshot.svg"))
        figures.append(("fewshot.svg", "Few-shot accuracy against the number of labelled examples per class (mean ± 95% CI)."))
    }

    /// A 2-D t-SNE embedding of test features, coloured by class.
    mutating func tsne(_ embedding: Matrix<Float>, labels: [Int], method: String, klDivergence: Double, file: String = "tsne.svg") throws {
        let plot = ScatterPlot(title: "t-SNE of the \(method) features of \(embedding.rows) test images", xLabel: "t-SNE 1",
                               yLabel: "t-SNE 2", classNames: FashionMNIST.classNames)
        try plot.write(embedding, labels: labels, to: folder.appendingPathComponent(file))
        figures.append((file, String(format: "Barnes–Hut t-SNE (perplexity 30) of the %@ features; final KL divergence %.3f.", method, klDivergence)))
    }

    /// `index.html`: the table, then every figure with its caption.
    func writeIndex(report: DemoReport) throws {
        var html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Latent demo: few-shot Fashion-MNIST</title>
        <style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}pre{background:#f4f4f4;padding:1em;overflow-x:auto}
        figure{margin:2em 0}img{max-width:100%;border:1px solid #ddd}figcaption{color:#444}</style></head><body>
        <h1>Few-shot classification on Fashion-MNIST, without and with representation learning</h1>
        <p>Representations are learned without labels on the training images; few-shot accuracy uses n labelled
        training images per class and the nearest class mean. Data: <a href="fewshot.csv">fewshot.csv</a>,
        <a href="fewshot.json">fewshot.json</a>.</p>
        <pre>\(SVGDocument.escape(report.table()))</pre>

        """
        for f in figures {
            html += "<figure><img src=\"\(f.file)\" alt=\"\(SVGDocument.escape(f.caption))\"><figcaption>\(SVGDocument.escape(f.caption))</figcaption></figure>\n"
        }
        html += "</body></html>\n"
        try AtomicFile.write(Data(html.utf8), to: folder.appendingPathComponent("index.html"))
    }

    mutating func add(_ image: Image, _ file: String, _ caption: String) throws {
        try PNG.write(image, to: folder.appendingPathComponent(file))
        figures.append((file, caption))
    }
}
