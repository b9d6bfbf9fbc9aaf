import ArgumentParser
import Foundation
import Latent

/// `latent inspect FILE`: what a saved model is.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a model file: method, options, shapes, explained variance or fit report.")

    @Argument(help: ArgumentHelp("A model file written by --save-model.", valueName: "file"))
    var file: String

    @Flag(help: "Print the description as JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        try Failures.guarded { try Self.summary(of: file).print(json: json) }
    }

    /// What `file` holds: format, writer, the method's description of the model, the options.
    static func summary(of file: String) throws -> Summary {
        let model = try ModelFile.read(file)
        var s = Summary()
        s.field("file", "file", .string(file))
        s.field("format", "format", .string("\(model.format) v\(model.version)"))
        s.field("latentVersion", "written by latent", .string(model.latentVersion))
        s.describe(model.model, method: model.descriptor)
        s.field("options", "options", .object(model.options))
        return s
    }
}
