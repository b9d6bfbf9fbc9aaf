import ArgumentParser
import Foundation
import Latent

/// `latent data patches`: a seeded natural-image patch data set cut from a folder of photographs.
struct PatchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patches",
        abstract: "Cut random square patches from the JPEG/PNG photographs of a folder into an .npy matrix (one patch per row).")

    @Option(help: "Folder of .jpg/.jpeg/.png photographs (e.g. from scripts/photos).")
    var from: String
    @Option(parsing: .unconditional, help: "Side of a patch in pixels.")
    var size: Int = 28
    @Option(parsing: .unconditional, help: "Number of patches.")
    var count: Int = 10_000
    @Option(help: "rgb: 3·size² values in 0…1, channels first; grey: size² luminance values; lab: L/100, a/100, b/100 planes (CIE L*a*b*, D65).")
    var layout: NaturalPatches.Layout = .rgb
    @Option(name: [.short, .long], help: "Where to write the patches (.npy, float32).")
    var output: String
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try global.validate()
        try OptionRange.check("--size", size, 1...4096)
        try OptionRange.check("--count", count, 1...10_000_000)
        let values = count * (layout == .grey ? 1 : 3) * size * size
        if values > 1 << 30 {
            throw ValidationError("--count \(count) patches of \(size) × \(size) would hold \(values) values, more than 2^30 (4 GiB); lower --count or --size")
        }
        guard output.lowercased().hasSuffix(".npy") else { throw ValidationError("--output must end in .npy, got \(output)") }
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
            let patches = NaturalPatches(size: size, count: count, layout: layout, seed: global.seed).cut(from: photos)
            try NPY.write(patches, to: URL(fileURLWithPath: output))
            stderr("wrote \(count) \(layout.rawValue) patches of \(size) × \(size) from \(photos.count) photographs to \(output)")
        }
    }
}

extension NaturalPatches.Layout: ExpressibleByArgument {}
