import Latent
import LatentExperiments

/// The methods the command line knows — `latent fit`, model files (`embed`, `inspect`) and
/// `latent batch` — by name: `MethodRegistry.standard`. A test registers a method of its own for
/// the duration of a call with `Methods.$registry.withValue(…) { … }`.
enum Methods {
    @TaskLocal static var registry = MethodRegistry.standard

    /// The method called `name` that model files can hold, or a `Failure` listing those that can.
    static func withModelFormat(_ name: String) throws -> (MethodDescriptor, ModelFormat) {
        if let m = registry[name], let format = m.format { return (m, format) }
        let saved = registry.names.filter { registry[$0]!.format != nil }
        throw Failure("unknown method \"\(name)\"; model files hold \(saved.joined(separator: ", "))")
    }
}
