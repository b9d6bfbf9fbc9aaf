import LatentCore
import LatentNN

/// A grid of overlapping square patches over images stored as rows `(C·H·W)`, channels first:
/// patch `(i, j)` has its top-left corner at `(i·stride, j·stride)`, so neighbouring patches
/// overlap by `size − stride` pixels (CPC on images: 64-pixel patches at stride 32 in van den
/// Oord et al. 2018).
public struct PatchGrid: Codable, Sendable, Equatable {
    public var channels: Int, height: Int, width: Int
    /// Side of a patch and the step between patches, in pixels.
    public var size: Int, stride: Int

    public init(channels: Int, height: Int, width: Int, size: Int, stride: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.size = size
        self.stride = stride
    }

    /// Patch rows and columns of the grid.
    public var rows: Int { (height - size) / stride + 1 }
    public var columns: Int { (width - size) / stride + 1 }

    /// Why the grid cannot be cut, or `nil`.
    public var problem: String? {
        if channels < 1 || height < 1 || width < 1 { return "image \(channels)×\(height)×\(width) must have positive sizes" }
        if size < 1 || stride < 1 { return "patch size \(size) and stride \(stride) must be at least 1" }
        if size > height || size > width { return "patch size \(size) is larger than the \(height)×\(width) image" }
        return nil
    }

    /// The patches of image rows `(B, C·H·W)` as rows `(B·rows·columns, C·size·size)`, ordered
    /// image, grid row, grid column; each patch channels first. A copy of data (no gradient).
    /// O(B · rows · columns · C · size²).
    public func patches<S: BLASScalar>(of x: Tensor<S>) -> Tensor<S> {
        precondition(x.rank == 2 && x.shape[1] == channels * height * width, "PatchGrid: rows \(x.shape), need \(channels * height * width) values")
        let b = x.shape[0], area = size * size, plane = height * width
        let source = x.storage
        var out = [S](repeating: 0, count: b * rows * columns * channels * area)
        var o = 0
        for n in 0..<b {
            for i in 0..<rows {
                for j in 0..<columns {
                    for c in 0..<channels {
                        let base = n * channels * plane + c * plane + i * stride * width + j * stride
                        for y in 0..<size {
                            for xx in 0..<size { out[o] = source[base + y * width + xx]; o += 1 }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [b * rows * columns, channels * area], storage: out)
    }
}
