import Foundation
import LatentCore

extension Dictionary where Key == String, Value == ParameterValue {
    /// Canonical JSON text: keys sorted, no whitespace, e.g. `{"center":true,"components":2}`.
    /// This text is part of a run's identity in the run store. - Complexity: O(k log k).
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a [String: ParameterValue] cannot fail: every case is a JSON scalar.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses canonical JSON written by `canonicalJSON`. Whole numbers read back as `.int`, so pass
    /// the result through `MethodDescriptor.resolve` when exact kinds matter.
    /// - Throws: `DecodingError` for text that is not a JSON object of scalars.
    public static func fromCanonicalJSON(_ text: String) throws -> Parameters {
        try JSONDecoder().decode(Parameters.self, from: Data(text.utf8))
    }
}
