import LatentCore

/// 2-D convolution (`nn.Conv2d`) by im2col + GEMM: `(B, C_in, H, W)` → `(B, C_out, H_out, W_out)`
/// with `H_out = ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1`. Weight `(C_out, C_in, kH, kW)`, bias `(C_out)`,
/// PyTorch's default initialisation `U(±1/√(C_in·kH·kW))`.
/// - Complexity: O(B · C_out · C_in · kH · kW · H_out · W_out) in BLAS.
public final class Conv2d<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>
    public let bias: Tensor<Scalar>?
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), bias: Bool = true,
                using rng: inout Xoshiro256StarStar) {
        let fanIn = inChannels * kernel.0 * kernel.1
        weight = Initialization.pytorchDefault([outChannels, inChannels, kernel.0, kernel.1], fanIn: fanIn, using: &rng)
        self.bias = bias ? Initialization.pytorchDefault([outChannels], fanIn: fanIn, using: &rng) : nil
        self.stride = stride; self.padding = padding; self.dilation = dilation
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.conv2d(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }
}

/// Transposed 2-D convolution (`nn.ConvTranspose2d`), the adjoint of `Conv2d`, used to upsample in
/// decoders: `(B, C_in, H, W)` → `(B, C_out, (H − 1)s − 2p + d(k − 1) + outputPadding + 1, …)`.
/// Weight `(C_in, C_out, kH, kW)`; PyTorch's default initialisation with fan-in `C_out·kH·kW`.
public final class ConvTranspose2d<Scalar: BLASScalar>: Layer {
    public let weight: Tensor<Scalar>
    public let bias: Tensor<Scalar>?
    public let stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int), dilation: (Int, Int)

    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
                bias: Bool = true, using rng: inout Xoshiro256StarStar) {
        let fanIn = outChannels * kernel.0 * kernel.1
        weight = Initialization.pytorchDefault([inChannels, outChannels, kernel.0, kernel.1], fanIn: fanIn, using: &rng)
        self.bias = bias ? Initialization.pytorchDefault([outChannels], fanIn: fanIn, using: &rng) : nil
        self.stride = stride; self.padding = padding; self.outputPadding = outputPadding; self.dilation = dilation
    }

    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.convTranspose2d(weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding, dilation: dilation)
    }
}

/// 2-D max pooling (`nn.MaxPool2d`); stride defaults to the kernel size.
public final class MaxPool2d<Scalar: BLASScalar>: Layer {
    public let kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int)
    public init(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.maxPool2d(kernel: kernel, stride: stride, padding: padding) }
}

/// 2-D average pooling (`nn.AvgPool2d`, zero padding counted); stride defaults to the kernel size.
public final class AvgPool2d<Scalar: BLASScalar>: Layer {
    public let kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int)
    public init(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> { x.avgPool2d(kernel: kernel, stride: stride, padding: padding) }
}
