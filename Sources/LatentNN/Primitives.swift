// LatentNN — tensors with reverse-mode automatic differentiation on BLAS.
//
// Every operation below is a primitive with a hand-written backward pass right beside its forward
// (file in brackets); everything else (variance, logSumExp, min, stack, losses, layers) is composed
// from them. Dimension letters: B batch, C channels, H×W image, T time, D features, V vocabulary.
//
//   Graph      Tensor (leaf / result node), backward(), withoutGradient, detach     [Tensor, Autograd]
//   Broadcast  broadcast(to:), sum(toShape:) — each the other's adjoint             [Broadcasting]
//   Binary     + − * / with NumPy broadcasting; scalar forms; negation              [Tensor+Arithmetic]
//   Product    matmul (2-D, batched N-D, shared right factor; transpose flags)      [Tensor+MatMul]
//   Unary      exp log sqrt pow abs clamped                                         [Tensor+Math]
//   Activation tanh sigmoid relu leakyRelu softplus gelu(.none/.tanh) silu          [Tensor+Activations]
//   Reduce     sum mean max (argmax routes the gradient) along axes, keepDims       [Tensor+Reductions]
//   Normalise  softmax, logSoftmax along an axis; layerNorm (fused)                 [Tensor+Reductions, +Normalization]
//   Shape      reshaped permuted slice concatenate gatherRows gather                [Tensor+Shape]
//   Random     dropout (seeded mask)                                                [Tensor+Normalization]
//              sampleCategorical (inverse CDF, no gradient)                         [Tensor+Sampling]
//   Compare    isGreater/isLess/isEqual… (0/1 masks), where                         [Tensor+Comparison]
//   Index      oneHot, scatterAdd (index_add), topK, cumulativeSum                  [Tensor+Indexing]
//   Similarity l2Normalized (fused); cosineSimilarity composed from it              [Tensor+Similarity]
//   Sparse     sparseGatherRows (gradient kept as the used rows)                    [SparseGradient]
//   Mask       maskedFill                                                           [Tensor+Normalization]
//   Image      conv2d, convTranspose2d (im2col + GEMM, NCHW)                        [Tensor+Convolution]
//   Pool       maxPool2d, avgPool2d                                                 [Tensor+Pooling]
//
// Checking: GradientCheck compares any backward with central differences in Double.
// Speed: Float/Double entry points are prespecialised; elementwise kernels are structs
// (ElementwiseKernels.swift) so that forward and backward loops inline and vectorise; Float
// exp/erf are branch-free (FastMath.swift); products and convolutions are single large GEMMs.
