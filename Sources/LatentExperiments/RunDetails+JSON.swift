import LatentCore
import Foundation

extension RunDetails: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, experiment, dataset, method, parameters, seed, status, error, duration, metrics, artifacts
        case createdAt = "created_at", startedAt = "started_at", endedAt = "ended_at", codeVersion = "code_version"
    }

    /// A JSON object with every stored field; parameters and metrics as nested objects.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(experiment, forKey: .experiment)
        try c.encode(run.dataset, forKey: .dataset)
        try c.encode(run.method, forKey: .method)
        try c.encode(run.parameterValues, forKey: .parameters)
        try c.encode(UInt64(bitPattern: run.seed), forKey: .seed)
        try c.encode(run.status, forKey: .status)
        try c.encode(run.createdAt, forKey: .createdAt)
        try c.encode(run.startedAt, forKey: .startedAt)
        try c.encode(run.endedAt, forKey: .endedAt)
        try c.encode(run.duration, forKey: .duration)
        try c.encode(run.error, forKey: .error)
        try c.encode(run.codeVersion, forKey: .codeVersion)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(artifacts.map { ["name": $0.name, "path": $0.path] }, forKey: .artifacts)
    }
}

extension ComparisonRow: Encodable {
    enum CodingKeys: String, CodingKey { case experiment, dataset, method, parameters, seeds, metrics }

    /// A JSON object; `metrics` maps each name to `{"n", "mean", "std"}` (`std` null for one run).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(experiment, forKey: .experiment)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(method, forKey: .method)
        try c.encode((try? Parameters.fromCanonicalJSON(parameters)) ?? [:], forKey: .parameters)
        try c.encode(seeds, forKey: .seeds)
        try c.encode(metrics, forKey: .metrics)
    }
}

/// JSON output of the run tables: pretty-printed, sorted keys, ISO 8601 dates.
public enum RunJSON {
    /// `value` as pretty JSON text ending in a newline.
    public static func render<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Every value encoded here is made of strings, numbers, dates and nested containers.
        let data = try! encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
