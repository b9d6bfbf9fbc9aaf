import LatentCore

/// An image classifier: a `Sequential` body from a flat or `(C, H, W)` sample to class logits.
///
/// The two standard Fashion-MNIST/MNIST baselines are built in:
/// - `mlp`: `784 → 256 → 256 → 10` with ReLU (≈ 270 k parameters);
/// - `cnn`: `Conv 1→32 3×3 pad 1, ReLU, MaxPool 2, Conv 32→64 3×3 pad 1, ReLU, MaxPool 2, Flatten,
///   Linear 3136→128, ReLU, Linear 128→10` (≈ 420 k parameters), the layout of the PyTorch
///   MNIST example without dropout.
///
/// Parameters are named `body.layers.<i>.weight`/`bias`, like PyTorch's
/// `self.body = nn.Sequential(…)`. Input `(B, sampleShape…)` → logits `(B, classes)`.
public final class ImageClassifier<Scalar: BLASScalar>: Layer {
    /// The layers, input to logits.
    public let body: Sequential<Scalar>
    /// The shape of one input sample: `[784]` for the MLP, `[1, 28, 28]` for the CNN.
    public let sampleShape: [Int]
    /// The number of classes (logits per sample).
    public let classes: Int

    /// A classifier over `body`, whose input is `(B, sampleShape…)` and output `(B, classes)`.
    public init(body: Sequential<Scalar>, sampleShape: [Int], classes: Int) {
        self.body = body
        self.sampleShape = sampleShape
        self.classes = classes
    }

    /// The multilayer perceptron `inputSize → hidden… → classes` with ReLU between layers, and
    /// dropout with probability `dropout` after each hidden ReLU when it is positive (its masks
    /// come from generators seeded from `seed`). Weights initialised from `seed`.
    public static func mlp(inputSize: Int = 784, hidden: [Int] = [256, 256], classes: Int = 10,
                           dropout: Double = 0, seed: UInt64) -> ImageClassifier {
        var rng = Xoshiro256StarStar(seed: seed)
        var layers: [any Layer<Scalar>] = []
        var width = inputSize
        for (i, h) in hidden.enumerated() {
            layers.append(Linear(width, h, using: &rng))
            layers.append(ReLU())
            if dropout > 0 { layers.append(Dropout(probability: dropout, seed: seed &+ UInt64(i + 1))) }
            width = h
        }
        layers.append(Linear(width, classes, using: &rng))
        return ImageClassifier(body: Sequential(layers), sampleShape: [inputSize], classes: classes)
    }

    /// The two-convolution network described above for `(channels, side, side)` images (`side`
    /// divisible by 4). Weights initialised from `seed`.
    public static func cnn(channels: Int = 1, side: Int = 28, classes: Int = 10, hidden: Int = 128,
                           seed: UInt64) -> ImageClassifier {
        precondition(side % 4 == 0, "ImageClassifier.cnn: image side \(side) must be divisible by 4")
        var rng = Xoshiro256StarStar(seed: seed)
        let flat = 64 * (side / 4) * (side / 4)
        let body = Sequential<Scalar> {
            Conv2d(channels, 32, kernel: (3, 3), padding: (1, 1), using: &rng)   // (B, 32, s, s)
            ReLU()
            MaxPool2d(kernel: (2, 2))                                           // (B, 32, s/2, s/2)
            Conv2d(32, 64, kernel: (3, 3), padding: (1, 1), using: &rng)        // (B, 64, s/2, s/2)
            ReLU()
            MaxPool2d(kernel: (2, 2))                                           // (B, 64, s/4, s/4)
            Flatten()                                                           // (B, 64·s²/16)
            Linear(flat, hidden, using: &rng)
            ReLU()
            Linear(hidden, classes, using: &rng)                                // (B, classes)
        }
        return ImageClassifier(body: body, sampleShape: [channels, side, side], classes: classes)
    }

    /// Class logits `(B, classes)` of a batch `(B, sampleShape…)`.
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(Array(x.shape.dropFirst()) == sampleShape,
                     "ImageClassifier: input \(x.shape), expected (B, \(sampleShape.map(String.init).joined(separator: ", ")))")
        return body(x)
    }
}
