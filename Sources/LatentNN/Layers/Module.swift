import LatentCore

/// A part of a network that owns parameters, sub-modules, a train/eval mode and random streams,
/// and computes whatever its job needs: a VAE encoder returns `(mean, logVariance)`, a BERT
/// encoder takes token ids, segment ids and a padding mask. A module states no call signature;
/// its `callAsFunction`s are its own. `Layer` is the one-tensor-in, one-tensor-out special case.
///
/// Modules are classes (their parameters are `Tensor` objects that optimizers update in place).
/// Nothing is listed by hand: one reflection walk (`Mirror`, superclasses included) visits the
/// stored properties, collecting every `Tensor` and descending into sub-modules, arrays and
/// optionals, naming each by its key path (`"encoder.0.weight"`) as PyTorch's `state_dict` does.
/// Tensors with `requiresGrad` are parameters; the others (BatchNorm's running statistics, frozen
/// weights) are buffers: saved in checkpoints, never optimised.
public protocol Module<Scalar>: AnyObject {
    associatedtype Scalar: BLASScalar
}

/// A module that is a function of one tensor: `y = layer(x)`. `Sequential` chains them.
public protocol Layer<Scalar>: Module {
    associatedtype Scalar
    /// Applies the layer to `input`.
    func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar>
}

/// A module that behaves differently in training and evaluation (dropout, batch normalisation).
public protocol ModeDependentLayer: AnyObject {
    /// `true` while training (the default), `false` for evaluation.
    var isTraining: Bool { get set }
}

/// A module that draws random numbers in its forward pass (dropout, VAE sampling, token masking).
///
/// The one pattern for randomness inside a network: each such module owns its generator;
/// `Module.seedRandomStreams(_:)` gives every one of them its own stream split from the model's
/// seed (so two transformer blocks never share dropout masks), and checkpoints save and restore
/// each generator by key path (so a resumed run draws exactly what an uninterrupted one would).
public protocol StochasticModule: AnyObject {
    /// The module's generator.
    var generator: Xoshiro256StarStar { get set }
}

extension Dropout: StochasticModule {}

extension Module {
    /// Every trainable tensor in this module and its sub-modules, by key path, in declaration order.
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
        ModuleReflection.walk(self, tensor: { out.append(($0, $1)) })
        return out
    }

    /// This module (path `""`) and every sub-module, by key path, each once, parents first.
    public func namedModules() -> [(name: String, module: any Module)] {
        var out: [(String, any Module)] = []
        ModuleReflection.walk(self, module: { out.append(($0, $1)) })
        return out
    }

    /// Every `StochasticModule` inside this one (itself included) with its key path.
    public func stochasticModules() -> [(name: String, module: StochasticModule)] {
        namedModules().compactMap { path, m in (m as? StochasticModule).map { (path, $0) } }
    }

    /// Gives every stochastic sub-module its own generator: `seed`'s stream split (`jump`) into
    /// one non-overlapping stream per module, in key-path order. Call it once after building a
    /// model (a checkpoint then carries the streams on). - Complexity: O(modules · 256).
    public func seedRandomStreams(_ seed: UInt64) {
        let modules = stochasticModules()
        var root = Xoshiro256StarStar(seed: seed)
        for ((_, m), stream) in zip(modules, root.split(into: modules.count)) { m.generator = stream }
    }

    /// Clears the gradients of all parameters, dense and sparse (`Tensor.sparseGradient`).
    public func zeroGrad() {
        for p in parameters {
            p.zeroGrad()
            p.sparseGradient?.removeAll()
        }
    }

    /// Puts this module and all sub-modules in training mode.
    public func train() { setMode(training: true) }

    /// Puts this module and all sub-modules in evaluation mode (dropout off, running statistics used).
    public func eval() { setMode(training: false) }

    /// Freezes this module: its parameters stop requiring gradients (they become buffers, so
    /// optimizers built afterwards skip them and checkpoints still save them) and it goes to
    /// evaluation mode. A task training a head over a frozen encoder calls `encoder.eval()` again
    /// after `model.train()` (see `TrainingTask.prepareForTraining`).
    public func freeze() {
        for p in parameters { p.requiresGrad = false; p.zeroGrad() }
        eval()
    }

    private func setMode(training: Bool) {
        ModuleReflection.walk(self, module: { ($1 as? ModeDependentLayer)?.isTraining = training })
    }

    /// Two optimizer parameter groups in the usual transformer recipe (nanoGPT, BERT): matrices
    /// and embeddings (rank ≥ 2) decay with `weightDecay`; biases and normalisation gains (rank < 2)
    /// do not. Parameters keep their `namedParameters` order within each group.
    public func parameterGroups(weightDecay: Double) -> [ParameterGroup<Scalar>] {
        let p = parameters
        return [ParameterGroup(p.filter { $0.rank >= 2 }, weightDecay: weightDecay),
                ParameterGroup(p.filter { $0.rank < 2 }, weightDecay: 0)]
    }
}

/// The one reflection walk behind `namedTensors`, `namedModules`, modes and random streams.
///
/// It visits stored properties in declaration order, superclass properties after a class's own,
/// descends into optionals, arrays and sub-modules, and visits each module and tensor once (the
/// first key path wins when one is shared).
enum ModuleReflection {
    static func walk<S: BLASScalar>(_ root: any Module<S>, tensor: (String, Tensor<S>) -> Void = { _, _ in },
                                    module: (String, any Module) -> Void = { _, _ in }) {
        var seen = Set<ObjectIdentifier>()
        visit(root, prefix: "", seen: &seen, tensor: tensor, module: module)
    }

    private static func visit<S: BLASScalar>(_ value: Any, prefix: String, seen: inout Set<ObjectIdentifier>,
                                             tensor: (String, Tensor<S>) -> Void, module: (String, any Module) -> Void) {
        if let t = value as? Tensor<S> {
            if seen.insert(ObjectIdentifier(t)).inserted { tensor(prefix, t) }
            return
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            if let some = mirror.children.first { visit(some.value, prefix: prefix, seen: &seen, tensor: tensor, module: module) }
            return
        }
        if mirror.displayStyle == .collection {
            for (i, child) in mirror.children.enumerated() {
                visit(child.value, prefix: join(prefix, "\(i)"), seen: &seen, tensor: tensor, module: module)
            }
            return
        }
        guard let m = value as? any Module, seen.insert(ObjectIdentifier(m)).inserted else { return }
        module(prefix, m)
        var current: Mirror? = mirror
        while let level = current {
            for child in level.children {
                guard let label = child.label else { continue }
                visit(child.value, prefix: join(prefix, label), seen: &seen, tensor: tensor, module: module)
            }
            current = level.superclassMirror
        }
    }

    private static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }
}
