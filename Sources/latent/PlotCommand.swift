import ArgumentParser
import Foundation
import Latent

/// `latent plot …`: pictures of data and models without a plotting library — PNG image grids
/// and SVG scatter plots.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw image grids (PNG) and embedding scatter plots (SVG).",
        subcommands: [PlotGrid.self, PlotScatter.self])
}

/// Class names from `--class-names`: `fashion-mnist` or a comma-separated list.
private func parseClassNames(_ option: String?) -> [String]? {
    guard let option else { return nil }
    if option.lowercased() == "fashion-mnist" { return FashionMNIST.classNames }
    return option.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
}

/// `latent plot grid INPUT --output grid.png`: the rows of a matrix as a grid of images.
struct PlotGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Tile the rows of a data file (one image per row) into a PNG grid.")

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(help: "Where to write the PNG.")
    var output: String

    @Option(parsing: .unconditional, help: "Image width in pixels; the height is columns / side.")
    var side: Int = 28

    @Option(parsing: .unconditional, help: "Tiles per grid row.")
    var columns: Int = 10

    @Option(parsing: .unconditional, help: "Draw only the first COUNT rows.")
    var count: Int = 100

    @Option(parsing: .unconditional, help: "Enlarge every pixel to a ZOOM × ZOOM block.")
    var zoom: Int = 2

    @Option(help: "Names for integer labels: 'fashion-mnist' or a comma-separated list.")
    var classNames: String?

    @Flag(help: "Signed components (PCA, ICA, dictionary atoms): blue–white–red, zero white.")
    var signed = false

    @Option(help: "Title above the grid.")
    var title: String?

    func validate() throws {
        guard output.lowercased().hasSuffix(".png") else { throw ValidationError("--output must end in .png, got \(output)") }
        try OptionRange.check("--side", side, 1...65_536)
        try OptionRange.check("--columns", columns, 1...10_000)
        try OptionRange.check("--count", count, 1...1_000_000)
        try OptionRange.check("--zoom", zoom, 1...64)
    }

    func run() throws {
        try OutputSafety.check(inputs: input.namedFiles, outputs: [.file("--output", output)])
        let data = try input.load(as: Float.self)
        let matrix = data.x
        guard matrix.columns % side == 0 else {
            throw ValidationError("\(data.name): rows of \(matrix.columns) values are not images \(side) pixels wide")
        }
        let k = min(count, matrix.rows)
        let rows = matrix.rows(0..<k)
        let names = parseClassNames(classNames)
        // Integer labels index --class-names; text labels (a CSV label column, fashion-mnist's names) caption as they are.
        let captions = data.labels.map { labels in
            labels.strings.prefix(k).map { text in
                Int(text).flatMap { l in names.flatMap { l >= 0 && l < $0.count ? $0[l] : nil } } ?? text
            }
        }
        let image = signed
            ? ImageGrid.components(rows, side: side, columns: columns, scale: zoom, captions: captions, title: title)
            : ImageGrid(tileWidth: side, tileHeight: matrix.columns / side, columns: columns, scale: zoom,
                        normalization: .global, colormap: .grey, title: title).render(rows, captions: captions)
        try PNG.write(image, to: URL(fileURLWithPath: output))
    }
}

/// `latent plot scatter EMB.csv --labels … --output emb.svg`: a 2-D embedding coloured by class.
struct PlotScatter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scatter",
        abstract: "Scatter plot (SVG) of the first two columns of an embedding, coloured by class.")

    @OptionGroup(title: "Input") var input: InputOptions

    @Option(help: "Where to write the SVG.")
    var output: String

    @Option(help: "Names for integer labels: 'fashion-mnist' or a comma-separated list.")
    var classNames: String?

    @Option(help: "Plot title.")
    var title: String?

    @Option(parsing: .unconditional, help: "Point radius in pixels.")
    var radius: Double = 1.6

    @Option(parsing: .unconditional, help: "Point opacity in (0, 1].")
    var opacity: Double = 0.7

    func validate() throws {
        guard output.lowercased().hasSuffix(".svg") else { throw ValidationError("--output must end in .svg, got \(output)") }
        try OptionRange.check("--radius", radius, above: 0, atMost: 1000)
        try OptionRange.check("--opacity", opacity, above: 0, atMost: 1)
    }

    func run() throws {
        try OutputSafety.check(inputs: input.namedFiles, outputs: [.file("--output", output)])
        let data = try input.load()
        let points = data.x
        var classes = data.labels?.indices
        var names = parseClassNames(classNames)
        if let labels = data.labels {
            let integers = labels.strings.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if names != nil && integers.count == labels.count {
                classes = integers                          // numeric labels index --class-names
            } else if let own = labels.classNames {
                names = own                                 // text labels (and fashion-mnist) name themselves
            }
        }
        guard points.columns >= 2 else { throw Failure("\(data.name): need at least 2 feature columns, found \(points.columns)") }
        if let classes, classes.count != points.rows {
            throw ValidationError("\(classes.count) labels for \(points.rows) points")
        }
        try ScatterPlot(title: title, xLabel: "dimension 1", yLabel: "dimension 2", classNames: names,
                        pointRadius: radius, opacity: opacity)
            .write(points, labels: classes, to: URL(fileURLWithPath: output))
    }
}
