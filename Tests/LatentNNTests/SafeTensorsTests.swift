import Foundation
import Testing
import LatentCore
import LatentIO
import LatentTestSupport
@testable import LatentNN

private let fixtureURL = Fixtures.folder.appendingPathComponent("safetensors/reference.safetensors")

/// `index / 8 − 0.5`, the closed form `scripts/fixtures/safetensors.py` fills its tensors with.
private func ramp<S: BLASScalar>(_ n: Int, as: S.Type) -> [S] { (0..<n).map { S(Double($0) / 8 - 0.5) } }

/// The tensors of the reference fixture, built in Swift.
private func referenceEntries() -> [SafeTensors.Entry] {
    [SafeTensors.Entry(name: "model.body.layers.0.weight", shape: [3, 4], values: ramp(12, as: Float.self)),
     SafeTensors.Entry(name: "model.body.layers.0.bias", shape: [3], values: ramp(3, as: Float.self)),
     SafeTensors.Entry(name: "optimizer.step", shape: [], values: [Float(7)]),
     SafeTensors.Entry(name: "double.matrix", shape: [2, 3], values: ramp(6, as: Double.self)),
     SafeTensors.Entry(name: "empty", shape: [0, 2], values: [Float]())]
}

/// A header-length prefix plus `json` padded to 8 bytes, plus `data`.
private func file(_ json: String, data: [UInt8]) -> [UInt8] {
    var header = Array(json.utf8)
    header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
    var out = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * UInt64($0))) }
    out += header
    return out + data
}

private func corruptReason(_ bytes: [UInt8]) -> String? {
    do {
        _ = try SafeTensors(bytes: bytes, path: "bad.safetensors")
        return nil
    } catch let IOError.corrupt(path, _, reason) {
        return path == "bad.safetensors" ? reason : "wrong path \(path)"
    } catch {
        return "unexpected error \(error)"
    }
}

@Suite struct SafeTensorsTests {
    @Test func readsTheReferenceLibrarysFile() throws {
        let st = try SafeTensors.read(fixtureURL)
        #expect(st.metadata == ["format": "pt"])
        #expect(st.tensors.count == 5)
        let w: Tensor<Float> = try st.tensor("model.body.layers.0.weight")
        #expect(w.shape == [3, 4] && w.storage == ramp(12, as: Float.self))
        #expect(try st.values("model.body.layers.0.bias", as: Float.self) == ramp(3, as: Float.self))
        let step: Tensor<Float> = try st.tensor("optimizer.step")
        #expect(step.shape == [] && step.item == 7)
        #expect(try st.values("double.matrix", as: Double.self) == ramp(6, as: Double.self))
        #expect(st.tensors["double.matrix"]?.shape == [2, 3])
        #expect(st.tensors["empty"]?.shape == [0, 2])
        #expect(try st.values("empty", as: Float.self).isEmpty)
    }

    @Test func encoderWritesTheReferenceLibrarysBytes() throws {
        let reference = [UInt8](try Data(contentsOf: fixtureURL))
        let ours = SafeTensors.encode(referenceEntries(), metadata: ["format": "pt"])
        #expect(ours == reference)
    }

    @Test func roundTripKeepsValuesShapesAndMetadata() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        let a = Tensor<Float>.randomNormal([4, 5, 2], using: &rng), b = Tensor<Double>.randomNormal([7], using: &rng)
        let meta = ["epoch": "3", "note": "quote \" backslash \\ newline \n tab \t bell \u{07} ünïcødé ✓"]
        let bytes = SafeTensors.encode([SafeTensors.Entry(name: "a/\"odd\" näme", tensor: a), SafeTensors.Entry(name: "b", tensor: b)],
                                       metadata: meta)
        #expect(bytes.count % 8 == 0)
        let st = try SafeTensors(bytes: bytes)
        #expect(st.metadata == meta)
        #expect(st.names == ["b", "a/\"odd\" näme"])         // F64 first (alignment), then by name
        let a2: Tensor<Float> = try st.tensor("a/\"odd\" näme")
        #expect(a2.shape == a.shape && a2.storage == a.storage)
        #expect(try st.values("b", as: Double.self) == b.storage)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-st-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write([SafeTensors.Entry(name: "b", tensor: b)], metadata: meta, to: url)
        #expect(try SafeTensors.read(url).values("b", as: Double.self) == b.storage)
    }

    @Test func wrongRequestsNameTheFileAndTensor() throws {
        let st = try SafeTensors(bytes: SafeTensors.encode(referenceEntries()), path: "ref.safetensors")
        #expect(throws: CheckpointError.missingTensor(path: "ref.safetensors", name: "nope")) { try st.values("nope", as: Float.self) }
        #expect(throws: CheckpointError.dtypeMismatch(path: "ref.safetensors", name: "double.matrix", expected: "F32", found: "F64")) {
            try st.values("double.matrix", as: Float.self)
        }
        #expect(throws: IOError.self) { try SafeTensors.read(URL(fileURLWithPath: "/nonexistent/x.safetensors")) }
    }

    @Test func corruptFilesThrowNamingTheProblem() {
        let f32x2 = [UInt8](repeating: 0, count: 8)
        let entry = #"{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
        #expect(corruptReason([1, 2, 3])?.contains("too short") == true)
        #expect(corruptReason([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0x7B])?.contains("exceeds the limit") == true)
        #expect(corruptReason([64, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])?.contains("runs past the end") == true)
        #expect(corruptReason(file("[1]", data: []))?.contains("does not start with '{'") == true)
        #expect(corruptReason(file(#"{"x": }"#, data: []))?.contains("header JSON") == true)
        #expect(corruptReason(file(#"{"x":\#(entry),"x":\#(entry)}"#, data: f32x2))?.contains("duplicate key") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, data: f32x2))?.contains("unknown dtype") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: f32x2))?.contains("needs 12") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: f32x2))?.contains("non-negative") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: f32x2))?.contains("begin ≤ end") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data: f32x2))?.contains("run past") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                                   data: f32x2))?.contains("overlap tensor \"x\"") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: f32x2))?.contains("unused bytes") == true)
        #expect(corruptReason(file(#"{"x":\#(entry)}"#, data: f32x2 + [0, 0, 0, 0]))?.contains("cover 8") == true)
        #expect(corruptReason(file(#"{"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: f32x2))?.contains("too large") == true)
        #expect(corruptReason(file(#"{"__metadata__":{"k":1}}"#, data: []))?.contains("not a string") == true)
        #expect(corruptReason(file(#"{"a":"# + String(repeating: "[", count: 40_000), data: []))?.contains("deeper") == true)
        #expect(corruptReason(file(#"{"x":\#(entry)}"#, data: f32x2)) == nil)
    }

    /// Seeded random damage to a valid file (byte changes, truncation, insertion, header-length
    /// edits) must give a valid file or a thrown error, never a crash.
    @Test func randomDamageNeverCrashes() throws {
        let good = SafeTensors.encode(referenceEntries(), metadata: ["format": "pt", "epoch": "2"])
        var rng = Xoshiro256StarStar(seed: 99)
        var thrown = 0, parsed = 0
        let jsonBytes = Array("{}[],:\"0123456789-e.".utf8)
        for _ in 0..<400 {
            var bytes = good
            for _ in 0..<(1 + rng.integer(below: 3)) {
                switch rng.integer(below: 5) {
                case 0: bytes[rng.integer(below: bytes.count)] = UInt8(rng.integer(below: 256))
                case 1: if bytes.count > 8 { bytes[8 + rng.integer(below: min(200, bytes.count - 8))] = jsonBytes[rng.integer(below: jsonBytes.count)] }
                case 2: bytes.removeLast(rng.integer(below: bytes.count))
                case 3: bytes.insert(UInt8(rng.integer(below: 256)), at: rng.integer(below: bytes.count + 1))
                default: if bytes.count >= 8 { bytes[rng.integer(below: 8)] = UInt8(rng.integer(below: 256)) }
                }
                if bytes.isEmpty { break }
            }
            do {
                let st = try SafeTensors(bytes: bytes, path: "fuzz")
                parsed += 1
                for (name, info) in st.tensors {       // every valid tensor reads back, in its own dtype
                    if info.dtype == .f32 { _ = try st.values(name, as: Float.self) }
                    if info.dtype == .f64 { _ = try st.values(name, as: Double.self) }
                }
            } catch is IOError {
                thrown += 1
            }
        }
        #expect(thrown > 300)
        #expect(thrown + parsed == 400)
    }
}

@Suite struct HalfPrecisionSafeTensorsTests {
    private let url = Fixtures.folder.appendingPathComponent("safetensors/half.safetensors")

    @Test func readsPyTorchsF16AndBF16AsTheirExactValues() throws {
        let st = try SafeTensors.read(url)
        #expect(st.tensors["values.f16"]?.dtype == .f16 && st.tensors["values.bf16"]?.dtype == .bf16)
        let original: [Float] = try st.values("values.f32")
        let f16: [Float] = try st.values("values.f16"), bf16: [Float] = try st.values("values.bf16")
        #expect(f16.count == 48 && bf16.count == 48)
        // PyTorch's conversions, as Float: ours must give the same bits from the same originals
        #expect(original.map { Float(Float16($0)) }.map(\.bitPattern) == f16.map(\.bitPattern))
        #expect(original.map { HalfPrecision.float(bf16: HalfPrecision.bf16($0)) }.map(\.bitPattern) == bf16.map(\.bitPattern))
        #expect(f16[2] == 1 && f16[8] == 65504 && f16[9] == .infinity && bf16[17] == .infinity)
        let d: [Double] = try st.values("values.bf16")
        #expect(d == bf16.map(Double.init))
    }

    @Test func writesTheSameBytesAsPyTorch() throws {
        let st = try SafeTensors.read(url)
        let original: [Float] = try st.values("values.f32")
        let ours = SafeTensors.encode([SafeTensors.Entry(name: "values.f32", shape: [6, 8], values: original),
                                       SafeTensors.Entry(name: "values.f16", shape: [6, 8], values: original, dtype: .f16),
                                       SafeTensors.Entry(name: "values.bf16", shape: [6, 8], values: original, dtype: .bf16)],
                                      metadata: ["format": "pt"])
        #expect(ours == [UInt8](try Data(contentsOf: url)))
        #expect(HalfPrecision.bf16(.nan) & 0x7FC0 == 0x7FC0)
    }
}
