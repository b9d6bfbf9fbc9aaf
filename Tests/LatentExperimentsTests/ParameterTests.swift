import Foundation
import LatentCore
import Testing
@testable import LatentExperiments

@Suite("Parameters: declarations, validation, canonical JSON")
struct ParameterTests {
    @Test("canonical JSON sorts keys and reads back")
    func canonical() throws {
        let p: Parameters = ["b": .int(2), "a": .bool(true), "c": .string("x/y"), "d": .double(0.5), "e": .double(1e-6)]
        #expect(p.canonicalJSON == #"{"a":true,"b":2,"c":"x/y","d":0.5,"e":1e-06}"#)
        #expect(try Parameters.fromCanonicalJSON(p.canonicalJSON) == p)
        #expect(p.summary == "a=true, b=2, c=x/y, d=0.5, e=1e-06")
        // The same parameters in another order give the same text.
        let q: Parameters = ["e": .double(1e-6), "d": .double(0.5), "c": .string("x/y"), "b": .int(2), "a": .bool(true)]
        #expect(q.canonicalJSON == p.canonicalJSON)
    }

    @Test("validate converts and bounds values by kind")
    func validate() throws {
        let k = ParameterSpec.int("k", default: 2, min: 1, max: 5)
        #expect(try k.validate(.int(3)).get() == .int(3))
        #expect(throws: ParameterSpec.ParameterError(description: "must be at most 5, got 6")) { try k.validate(.int(6)).get() }
        #expect(throws: ParameterSpec.ParameterError(description: "must be an integer, got 'true'")) { try k.validate(.bool(true)).get() }
        let alpha = ParameterSpec.double("alpha", default: 1, min: 0)
        #expect(try alpha.validate(.int(3)).get() == .double(3))
        #expect(throws: ParameterSpec.ParameterError.self) { try alpha.validate(.double(.infinity)).get() }
        #expect(throws: ParameterSpec.ParameterError(description: "must be a number, got 'x'")) { try alpha.validate(.string("x")).get() }
        let flag = ParameterSpec.bool("whiten", default: false)
        #expect(throws: ParameterSpec.ParameterError(description: "must be true or false, got '1'")) { try flag.validate(.int(1)).get() }
        let word = ParameterSpec(name: "note", kind: .string(choices: []), default: .string(""))
        #expect(try word.validate(.string("anything")).get() == .string("anything"))
        #expect(ParameterSpec(name: "r", kind: .double(min: nil, max: nil), default: .int(2)).defaultValue == .double(2))
    }

    @Test("MethodDescriptor.resolve fills defaults and names unknown or invalid parameters")
    func resolve() throws {
        let spec = MethodRegistry.standard["truncated-svd"]!
        #expect(try spec.resolve([:]) == ["components": .int(2), "center": .bool(true), "solver": .string("svd")])
        #expect(try spec.resolve(["components": .int(4)])["components"] == .int(4))
        #expect(throws: MethodDescriptor.ResolveError(parameter: "k", message: "method 'truncated-svd' has no parameter 'k'; parameters: center, components, solver")) {
            try spec.resolve(["k": .int(1)])
        }
        #expect(throws: MethodDescriptor.ResolveError(parameter: "components", message: "parameter 'components' of method 'truncated-svd' must be at least 1, got 0")) {
            try spec.resolve(["components": .int(0)])
        }
    }

    @Test("typed accessors read resolved parameters")
    func accessors() {
        let p: Parameters = ["k": .int(3), "a": .double(0.5), "w": .bool(true), "s": .string("lasso")]
        #expect(p.int("k") == 3)
        #expect(p.double("a") == 0.5 && p.double("k") == 3)
        #expect(p.bool("w"))
        #expect(p.string("s") == "lasso")
    }
}
