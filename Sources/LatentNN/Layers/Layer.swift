import LatentCore

/// A building block of a network: a function of one tensor with parameters inside it.
///
/// Layers are classes (their parameters are `Tensor` objects that optimizers update in place).
/// Parameters need no hand-written list: `namedParameters` walks the layer's stored properties by
/// reflection (`Mirror`), collecting every `Tensor` with `requiresGrad` and descending into
/// sub-layers, arrays of layers and optionals, naming each by its key path (`"encoder.0.weight"`),
/// as PyTorch's `state_dict` does. Tensors without `requiresGrad` (BatchNorm's running statistics)
/// are buffers: saved in checkpoints, never optimised.
public protocol Layer<Scalar>: AnyObject {
    associatedtype Scalar: BLASScalar
    /// Applies the layer to `input`.
    func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar>
}

/// A layer that behaves differently in training and evaluation (dropout, batch normalisation).
public protocol ModeDependentLayer: AnyObject {
    /// `true` while training (the default), `false` for evaluation.
    var isTraining: Bool { get set }
}

extension Layer {
    /// Every trainable tensor in this layer and its sub-layers, by key path, in declaration order.
    public var namedParameters: [(name: String, tensor: Tensor<Scalar>)] {
        namedTensors().filter { $0.tensor.requiresGrad }
    }

    /// The trainable tensors, in the order of `namedParameters`.
    public var parameters: [Tensor<Scalar>] { namedParameters.map(\.tensor) }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Every tensor — parameters and buffers — by key path: what a checkpoint stores.
    public func namedTensors() -> [(name: String, tensor: Tensor<Scalar>)] {
        var out: [(String, Tensor<Scalar>)] = []
        var seen = Set<ObjectIdentifier>()
        LayerReflection.collect(self, prefix: "", into: &out, seen: &seen)
        return out
    }

    /// Clears the gradients of all parameters.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// Puts this layer and all sub-layers in training mode.
    public func train() { setMode(training: true) }

    /// Puts this layer and all sub-layers in evaluation mode (dropout off, running statistics used).
    public func eval() { setMode(training: false) }

    private func setMode(training: Bool) {
        var seen = Set<ObjectIdentifier>()
        LayerReflection.forEachLayer(self, seen: &seen) { ($0 as? ModeDependentLayer)?.isTraining = training }
    }
}

/// The reflection walk behind `namedTensors` and `train()`/`eval()`.
enum LayerReflection {
    static func collect<S: BLASScalar>(_ value: Any, prefix: String, into out: inout [(String, Tensor<S>)],
                                       seen: inout Set<ObjectIdentifier>) {
        if let t = value as? Tensor<S> {
            if seen.insert(ObjectIdentifier(t)).inserted { out.append((prefix, t)) }
            return
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            if let some = mirror.children.first { collect(some.value, prefix: prefix, into: &out, seen: &seen) }
            return
        }
        if mirror.displayStyle == .collection {
            for (i, child) in mirror.children.enumerated() {
                collect(child.value, prefix: join(prefix, "\(i)"), into: &out, seen: &seen)
            }
            return
        }
        guard value is any Layer else { return }
        var current: Mirror? = mirror
        while let m = current {
            for child in m.children {
                guard let label = child.label else { continue }
                collect(child.value, prefix: join(prefix, label), into: &out, seen: &seen)
            }
            current = m.superclassMirror
        }
    }

    static func forEachLayer(_ value: Any, seen: inout Set<ObjectIdentifier>, _ body: (AnyObject) -> Void) {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional || mirror.displayStyle == .collection {
            for child in mirror.children { forEachLayer(child.value, seen: &seen, body) }
            return
        }
        guard let layer = value as? any Layer, seen.insert(ObjectIdentifier(layer)).inserted else { return }
        body(layer)
        for child in mirror.children { forEachLayer(child.value, seen: &seen, body) }
    }

    private static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }
}
