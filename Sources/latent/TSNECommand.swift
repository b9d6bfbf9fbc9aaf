import ArgumentParser
import Foundation
import Latent

/// `latent tsne INPUT --output emb.csv`: embeds the rows of a data file with t-SNE and writes the
/// embedding as CSV (or `.npy` when the output name ends in `.npy`). Input and labels are read by
/// the shared `InputOptions`; the defaults are `MethodDescriptor.tsne`'s (batch files' `tsne`).
struct TSNECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsne",
        abstract: "Embed the rows of a data file with t-SNE (Barnes–Hut by default).")

    @OptionGroup var global: GlobalOptions

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(name: .shortAndLong, help: "Output file: .csv (columns tsne1, tsne2, …) or .npy.")
    var output: String

    @Option(parsing: .unconditional, help: "Output dimensions (2 or 3 with Barnes–Hut).")
    var components = MethodDescriptor.tsne.defaults.int("components")

    @Option(parsing: .unconditional, help: "Perplexity (effective number of neighbours; below the number of rows).")
    var perplexity = MethodDescriptor.tsne.defaults.double("perplexity")

    @Option(help: "Gradient method: barnes-hut or exact (small inputs only: O(n²) memory).")
    var method = "barnes-hut"

    @Option(parsing: .unconditional, help: "Barnes–Hut accuracy θ (0 = exact repulsion; larger is faster and coarser).")
    var theta = MethodDescriptor.tsne.defaults.double("theta")

    @Option(help: "Initialisation: pca or random.")
    var initialization = MethodDescriptor.tsne.defaults.string("initialization")

    @Option(help: "Learning rate, or 'auto' (max(n / 48, 50)).")
    var learningRate = "auto"

    @Option(parsing: .unconditional, help: "Total iterations (at least 250).")
    var iterations = MethodDescriptor.tsne.defaults.int("iterations")

    @Option(help: "Also draw the 2-D embedding as an SVG scatter plot coloured by class (--label-column or --labels).")
    var plot: String?

    func validate() throws {
        guard ["barnes-hut", "exact"].contains(method) else { throw ValidationError("--method must be barnes-hut or exact, got \(method)") }
        guard ["pca", "random"].contains(initialization) else { throw ValidationError("--initialization must be pca or random, got \(initialization)") }
        try OptionRange.check("--components", components, 1...3)
        if method == "barnes-hut" && components > 3 { throw ValidationError("--components must be 2 or 3 with --method barnes-hut") }
        try OptionRange.check("--perplexity", perplexity, above: 0)
        try OptionRange.check("--theta", theta, atLeast: 0)
        try OptionRange.check("--iterations", iterations, 250...Int(Int32.max))
        let lower = output.lowercased()
        guard lower.hasSuffix(".csv") || lower.hasSuffix(".npy") else {
            throw ValidationError("--output must end in .csv or .npy, got '\(MessageText.quoted(output, limit: 200))'")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw ValidationError("--plot must end in .svg, got '\(MessageText.quoted(plot, limit: 200))'")
        }
        guard learningRate == "auto" || (Double(learningRate).map { $0 > 0 && $0.isFinite } ?? false) else {
            throw ValidationError("--learning-rate must be 'auto' or a positive number, got \(learningRate)")
        }
    }

    func run() throws {
        global.apply()
        try OutputSafety.check(inputs: input.namedFiles, outputs: [.file("--output", output), .file("--plot", plot)])
        let data = try input.load()
        let (x, input) = (data.x, data.name)
        let (classes, classNames) = (data.labels?.indices, data.labels?.classNames)
        try DataCheck.requireUsable(x, name: input)
        if perplexity >= Double(x.rows) {
            throw Failure("\(input) has \(x.rows) rows; --perplexity \(perplexity) must be below the number of rows")
        }
        if method == "exact" {
            // P, Q and the pairwise distances are n × n each.
            let n = Double(x.rows)
            try MemoryBudget.require(3 * n * n * 8, for: "exact t-SNE on \(x.rows) rows (\(x.rows) × \(x.rows) affinities)",
                                     hint: "use --method barnes-hut")
        }
        let tsne = TSNE<Double>(
            components: components, perplexity: perplexity,
            method: method == "exact" ? .exact : .barnesHut(theta: theta),
            initialization: initialization == "random" ? .random : .pca,
            learningRate: learningRate == "auto" ? .auto : .fixed(Double(learningRate)!),
            maxIterations: iterations, seed: global.seed)
        let start = Date()
        let model = try Failures.about(input) { try tsne.fit(x) }
        let out = URL(fileURLWithPath: output)
        if out.pathExtension.lowercased() == "npy" {
            try NPY.write(model.embedding, to: out)
        } else {
            try CSV.write(model.embedding, to: out, columnNames: (1...components).map { "tsne\($0)" })
        }
        if let plot {
            try ScatterPlot(title: "t-SNE of \(URL(fileURLWithPath: input).lastPathComponent) (perplexity \(perplexity))", xLabel: "t-SNE 1", yLabel: "t-SNE 2",
                            classNames: classNames)
                .write(model.embedding, labels: classes, to: URL(fileURLWithPath: plot))
        }
        FileHandle.standardError.write(Data(
            "t-SNE \(x.rows)×\(x.columns) → \(components)-D: KL \(String(format: "%.4f", model.klDivergence)), \(model.report.iterations) iterations, \(String(format: "%.2f", Date().timeIntervalSince(start))) s; wrote \(output)\n".utf8))
    }
}
