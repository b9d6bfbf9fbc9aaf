import LatentCore
import LatentNN

/// The small convolutional encoder f shared by the self-supervised methods (and their
/// randomly initialised control): blocks of 3 × 3 convolution (padding 1) → BatchNorm → ReLU,
/// 2 × 2 max-pooling between blocks (not after the last), then the mean over each cell of a
/// `featureGrid × featureGrid` grid of the remaining positions (adaptive average pooling; 1 =
/// global average pooling), so images `(B, C, H, W)` of any size ≥ `2^(blocks − 1)` give features
/// `(B, filters.last · featureGrid²)` (whole 28 × 28 images and 7 × 7 context patches alike); with
/// `dense` > 0 a fully connected layer with ReLU follows as one more block. A grid above 1 keeps
/// where in the image a pattern was, which few-shot nearest-mean classification on centred objects
/// relies on (see docs/self-supervised.md). The heads of the methods see the last block's output
/// (`outputSize`). The representation (`featureSize`, `FittedImageEncoder.encode`) may take more:
/// with `readoutBlocks` r it is the last r blocks side by side, the convolution blocks
/// grid-averaged (hypercolumn-style features, as the layer-wise probes of Zhang et al. 2016 and
/// Goyal et al. 2019 read more than one layer), each divided by its norm under `normalizedReadout`.
/// Reading the dense layer and the block before it is SimCLR's network cut one layer after the
/// usual place (Bordes et al., "Guillotine Regularization", 2023): better at few shots, and the
/// conv block keeps the linear probe's accuracy (docs/self-supervised.md, "Which layer to read").
///
/// Fashion-MNIST with `filters: [32, 64, 128]`: 28 → 14 → 7 positions, about 7.5 M
/// multiply–adds per image forward (a dense layer of 128 on a 3 × 3 grid adds 0.15 M).
public struct ImageEncoderArchitecture: Codable, Sendable, Equatable {
    /// The input images' channels, height and width (the rows of the data are `C·H·W` values).
    public var channels: Int, height: Int, width: Int
    /// Output channels of each block (≥ 1 block).
    public var filters: [Int]
    /// Whether each convolution is followed by batch normalisation.
    public var batchNorm: Bool
    /// Side of the grid of cells averaged at the end (1: global average pooling).
    public var featureGrid: Int
    /// The grid sides an encoder may average over (what the options and batch keys accept).
    public static let featureGrids = 1...8
    /// Units of the fully connected layer (with ReLU) after the grid averaging, or 0 for none.
    /// When present it is the encoder's last block: the heads see its output, and it counts as a
    /// block for `readoutBlocks`.
    public var dense: Int
    /// How many blocks, counted from the last, the representation reads (1: the last only).
    public var readoutBlocks: Int
    /// Whether each block read is divided by its Euclidean norm before they are put side by side,
    /// so that blocks of different widths count alike in distances (a zero part stays zero).
    public var normalizedReadout: Bool

    public init(channels: Int = 1, height: Int = 28, width: Int = 28, filters: [Int] = [32, 64, 128], batchNorm: Bool = true,
                featureGrid: Int = 1, dense: Int = 0, readoutBlocks: Int = 1, normalizedReadout: Bool = false) {
        self.channels = channels
        self.height = height
        self.width = width
        self.filters = filters
        self.batchNorm = batchNorm
        self.featureGrid = featureGrid
        self.dense = dense
        self.readoutBlocks = readoutBlocks
        self.normalizedReadout = normalizedReadout
    }

    /// Files written before `dense`, `readoutBlocks` and `normalizedReadout` existed read as 0, 1 and false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(channels: try c.decode(Int.self, forKey: .channels), height: try c.decode(Int.self, forKey: .height),
                  width: try c.decode(Int.self, forKey: .width), filters: try c.decode([Int].self, forKey: .filters),
                  batchNorm: try c.decode(Bool.self, forKey: .batchNorm), featureGrid: try c.decode(Int.self, forKey: .featureGrid),
                  dense: try c.decodeIfPresent(Int.self, forKey: .dense) ?? 0,
                  readoutBlocks: try c.decodeIfPresent(Int.self, forKey: .readoutBlocks) ?? 1,
                  normalizedReadout: try c.decodeIfPresent(Bool.self, forKey: .normalizedReadout) ?? false)
    }

    /// The width of each block's contribution to the representation, first block first: the
    /// grid-averaged convolution blocks (`filters · featureGrid²`), then the dense layer if any.
    public var blockWidths: [Int] { filters.map { $0 * featureGrid * featureGrid } + (dense > 0 ? [dense] : []) }
    /// Features per image of the representation: the widths of the last `readoutBlocks` blocks.
    public var featureSize: Int { blockWidths.suffix(readoutBlocks).reduce(0, +) }
    /// Values per image of the encoder network's output, what the methods' heads see: the last block's width.
    public var outputSize: Int { blockWidths.last ?? 0 }
    /// Values per image row, `C·H·W`.
    public var inputSize: Int { channels * height * width }
    /// The smallest side an input may have (each pooling halves it, rounding down).
    public var minimumSide: Int { 1 << Swift.max(0, filters.count - 1) }

    /// What is wrong with these sizes, or `nil`.
    public var problem: String? {
        if filters.isEmpty { return "the encoder needs at least one block" }
        if let bad = filters.first(where: { $0 < 1 }) { return "filter count \(bad) must be at least 1" }
        if !Self.featureGrids.contains(featureGrid) { return "feature grid \(featureGrid) must lie in \(Self.featureGrids.lowerBound)…\(Self.featureGrids.upperBound)" }
        if dense < 0 { return "dense units \(dense) must be at least 0 (0: no dense layer)" }
        if readoutBlocks < 1 || readoutBlocks > blockWidths.count { return "readout blocks \(readoutBlocks) must lie in 1…\(blockWidths.count) (the blocks)" }
        if channels < 1 || height < minimumSide || width < minimumSide {
            return "images \(channels)×\(height)×\(width) are too small for \(filters.count) blocks (need sides ≥ \(minimumSide))"
        }
        return nil
    }

    /// A freshly initialised encoder `(B, C, H, W) → (B, outputSize)` (PyTorch's default
    /// initialisation, drawn from `rng`).
    public func makeEncoder(using rng: inout Xoshiro256StarStar) -> Sequential<Float> {
        precondition(problem == nil, "ImageEncoderArchitecture: \(problem!)")
        var layers: [any Layer<Float>] = []
        var inChannels = channels
        for (i, f) in filters.enumerated() {
            if i > 0 { layers.append(MaxPool2d<Float>(kernel: (2, 2))) }
            layers.append(Conv2d<Float>(inChannels, f, kernel: (3, 3), padding: (1, 1), bias: !batchNorm, using: &rng))
            if batchNorm { layers.append(BatchNorm<Float>(channels: f)) }
            layers.append(ReLU<Float>())
            inChannels = f
        }
        layers.append(GridAveragePool<Float>(grid: featureGrid))
        if dense > 0 {
            layers.append(Linear<Float>(filters.last! * featureGrid * featureGrid, dense, using: &rng))
            layers.append(ReLU<Float>())
        }
        return Sequential(layers)
    }
}

/// Adaptive average pooling to a `grid × grid` array of cells, flattened channel-major:
/// `(B, C, H, W) → (B, C·grid²)`; cell (i, j) averages rows `⌊iH/g⌋ ..< ⌈(i+1)H/g⌉` and the
/// columns alike (`nn.AdaptiveAvgPool2d(g)` + flatten; `grid` 1 is global average pooling).
/// Composed from `slice`, `mean` and `concatenate`. O(B·C·H·W).
public final class GridAveragePool<Scalar: BLASScalar>: Layer {
    public let grid: Int
    public init(grid: Int = 1) {
        precondition(grid >= 1, "GridAveragePool: grid \(grid) must be at least 1")
        self.grid = grid
    }
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        precondition(x.rank == 4, "GridAveragePool: input \(x.shape), need (B, C, H, W)")
        if grid == 1 { return x.mean(alongAxes: [2, 3]) }
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        func span(_ i: Int, _ n: Int) -> Range<Int> { (i * n / grid)..<Swift.max(i * n / grid + 1, ((i + 1) * n + grid - 1) / grid) }
        var cells: [Tensor<Scalar>] = []
        for i in 0..<grid {
            let band = x.slice(alongAxis: 2, span(i, h))
            for j in 0..<grid { cells.append(band.slice(alongAxis: 3, span(j, w)).mean(alongAxes: [2, 3]).unsqueezed(at: 2)) }  // (B, C, 1)
        }
        return Tensor.concatenate(cells, alongAxis: 2).reshaped([b, c * grid * grid])                                          // (B, C·g²)
    }
}

/// The projection head g of SimCLR and the small classifier heads of the pretext tasks: linear
/// layers with ReLU between them (none after the last), `sizes[0] → … → sizes.last`.
func multilayerHead(_ sizes: [Int], using rng: inout Xoshiro256StarStar) -> Sequential<Float> {
    var layers: [any Layer<Float>] = []
    for i in 1..<sizes.count {
        if i > 1 { layers.append(ReLU<Float>()) }
        layers.append(Linear<Float>(sizes[i - 1], sizes[i], using: &rng))
    }
    return Sequential(layers)
}
