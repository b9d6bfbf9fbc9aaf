import ArgumentParser
import Foundation
import Latent

/// `latent data filters`: the classic picture of what ICA and sparse coding learn from natural
/// images (Olshausen & Field 1996; Bell & Sejnowski 1997; Hyvärinen & Oja 2000) — localised,
/// oriented, band-pass filters like simple cells' receptive fields.
///
/// Recipe: grey patches (`NaturalPatches`, luminance), each patch's mean removed (the DC
/// component carries no structure), then
/// - `ica`: FastICA (logcosh, parallel) with its own PCA whitening to `--components`; the picture
///   shows the basis functions (columns of the mixing matrix, pixel space);
/// - `dictionary`: the patches ZCA-whitened (PCA whitening to `--components` dimensions, rotated
///   back to pixel space), then mini-batch dictionary learning of `--components` atoms; the
///   picture shows the atoms.
struct NaturalFiltersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "Learn FastICA or dictionary filters on whitened grey patches of photographs and draw them as a PNG grid.")

    enum Method: String, ExpressibleByArgument, CaseIterable { case ica, dictionary }

    @Option(help: "Folder of .jpg/.jpeg/.png photographs.")
    var from: String
    @Option(help: "ica (FastICA basis functions) or dictionary (atoms of mini-batch dictionary learning).")
    var method: Method = .ica
    @Option(parsing: .unconditional, help: "Side of a patch in pixels.")
    var size: Int = 12
    @Option(parsing: .unconditional, help: "Number of patches.")
    var count: Int = 20_000
    @Option(parsing: .unconditional, help: "Filters to learn (also the whitened dimension), at most size².")
    var components: Int = 64
    @Option(parsing: .unconditional, help: "Dictionary: sparsity penalty α.")
    var alpha: Double = 1
    @Option(parsing: .unconditional, help: "Dictionary: passes over the patches; ICA: iterations at most.")
    var iterations: Int = 200
    @Option(name: [.short, .long], help: "Where to write the picture (.png).")
    var output: String
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try OptionRange.check("--size", size, 2...64)
        try OptionRange.check("--count", count, 2...1_000_000)
        try OptionRange.check("--components", components, 1...(size * size))
        try OptionRange.check("--iterations", iterations, 1...100_000)
        try OptionRange.check("--alpha", alpha, above: 0)
        guard output.lowercased().hasSuffix(".png") else { throw ValidationError("--output must end in .png, got \(output)") }
        let inputs = ((try? PhotoFolder.files(from)) ?? []).map { OutputSafety.Named("--from", $0.path) }
        try OutputSafety.validate(inputs: inputs, outputs: [.file("--output", output)])
    }

    func run() throws {
        global.apply()
        try Failures.guarded {
            let photos = try PhotoFolder.read(from)
            guard photos.contains(where: { $0.height >= size && $0.width >= size }) else {
                throw Failure("\(from): no photograph is at least \(size) × \(size) pixels")
            }
            let grey = NaturalPatches(size: size, count: count, layout: .grey, seed: global.seed).cut(from: photos)
            var patches = Matrix<Double>(rows: grey.rows, columns: grey.columns, storage: grey.storage.map(Double.init))
            for i in 0..<patches.rows {                     // remove each patch's mean (DC)
                let mean = (0..<patches.columns).reduce(0.0) { $0 + patches[i, $1] } / Double(patches.columns)
                for j in 0..<patches.columns { patches[i, j] -= mean }
            }
            let filters: Matrix<Double>
            switch method {
            case .ica:
                let ica = try FastICA<Double>(components: components, whitening: .unitVariance, maxIterations: iterations, seed: global.seed).fit(patches)
                stderr("FastICA: \(ica.report)")
                filters = ica.mixing.transposed                                          // basis functions, k × d
            case .dictionary:
                let pca = try PCA<Double>(components: components, whiten: true, seed: global.seed).fit(patches)
                let zca = try pca.transform(patches) * pca.components                    // n × d, ZCA-whitened
                let model = try MiniBatchDictionaryLearning<Double>(atoms: components, alpha: alpha, epochs: iterations, seed: global.seed).fit(zca)
                stderr("dictionary learning: \(model.report)")
                filters = model.components
            }
            var grid = ImageGrid(tileWidth: size, tileHeight: size, columns: Int(Double(components).squareRoot().rounded(.up)),
                                 padding: 1, scale: 4, normalization: .symmetricPerTile)
            grid.title = method == .ica ? "FastICA basis, \(size)x\(size) patches" : "dictionary atoms, ZCA-whitened \(size)x\(size)"
            try PNG.write(grid.render(filters), to: URL(fileURLWithPath: output))
            stderr("wrote \(filters.rows) filters to \(output)")
        }
    }
}
