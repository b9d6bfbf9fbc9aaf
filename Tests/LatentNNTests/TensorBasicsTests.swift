import Testing
import LatentCore
import LatentTestSupport
@testable import LatentNN

/// Random `Double` tensor for gradient checks (values in roughly ±2).
func randn(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
    var rng = Xoshiro256StarStar(seed: seed)
    return Tensor.randomNormal(shape, using: &rng)
}

/// Expects the gradient check of `f` to pass with relative error below `tolerance`.
func expectGradients(_ inputs: [Tensor<Double>], tolerance: Double = 1e-6,
                     sourceLocation: SourceLocation = #_sourceLocation,
                     _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>) {
    let result = GradientCheck.check(inputs, f)
    #expect(result.maxRelativeError < tolerance, "relative errors \(result.relativeErrors)", sourceLocation: sourceLocation)
}

@Suite("Tensor basics and autograd")
struct TensorBasicsTests {
    @Test func shapesAndIndexing() {
        let t = Tensor<Float>(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        #expect(t.rank == 2 && t.count == 6 && t.strides == [3, 1])
        #expect(t[1, 2] == 6)
        #expect(Tensor<Float>(3).item == 3)
        let m = t.toMatrix()
        #expect(m.rows == 2 && m[1, 0] == 4)
        #expect(Tensor(m).shape == [2, 3])
    }

    @Test func broadcastShapes() {
        #expect(Broadcasting.shape([4, 1, 3], [5, 1]) == [4, 5, 3])
        #expect(Broadcasting.shape([], [2, 3]) == [2, 3])
        #expect(Broadcasting.canBroadcast([3], to: [2, 3]))
        #expect(!Broadcasting.canBroadcast([2], to: [2, 3]))
    }

    @Test func broadcastForwardValues() {
        let a = Tensor<Double>(shape: [2, 1, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = Tensor<Double>(shape: [2, 1], storage: [10, 20])
        let c = a + b
        #expect(c.shape == [2, 2, 3])
        #expect(c.storage == [11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26])
    }

    @Test func arithmeticGradients() {
        let a = randn([3, 4], seed: 1), b = randn([3, 4], seed: 2)
        expectGradients([a, b]) { $0[0] + $0[1] }
        expectGradients([a, b]) { $0[0] - $0[1] }
        expectGradients([a, b]) { $0[0] * $0[1] }
        expectGradients([a, b]) { $0[0] / ($0[1] * $0[1] + 0.5) }
        expectGradients([a]) { -$0[0] * 3 + 2 - (1.5 / ($0[0] * $0[0] + 1)) }
    }

    @Test func broadcastingGradients() {
        let a = randn([2, 3, 4], seed: 3), row = randn([4], seed: 4), col = randn([3, 1], seed: 5)
        let s = randn([], seed: 6), mid = randn([2, 1, 4], seed: 7)
        expectGradients([a, row]) { $0[0] + $0[1] }
        expectGradients([a, col]) { $0[0] * $0[1] }
        expectGradients([a, s]) { $0[0] - $0[1] }
        expectGradients([a, mid]) { $0[0] / ($0[1] * $0[1] + 1) }
        expectGradients([col, row]) { $0[0] * $0[1] }          // (3,1)·(4) → (3,4): both broadcast
        expectGradients([mid, col]) { $0[0] + $0[1] }          // (2,1,4)+(3,1) → (2,3,4)
        expectGradients([row]) { $0[0].broadcast(to: [2, 3, 4]) }
        expectGradients([a]) { $0[0].sum(toShape: [3, 1]) }
    }

    @Test func matmulGradients() {
        let a = randn([3, 4], seed: 8), b = randn([4, 5], seed: 9)
        let at = randn([4, 3], seed: 10), bt = randn([5, 4], seed: 11)
        expectGradients([a, b]) { $0[0].matmul($0[1]) }
        expectGradients([at, b]) { $0[0].matmul($0[1], transposeA: true) }
        expectGradients([a, bt]) { $0[0].matmul($0[1], transposeB: true) }
        expectGradients([at, bt]) { $0[0].matmul($0[1], transposeA: true, transposeB: true) }
        let x = randn([2, 3, 4], seed: 12), y = randn([2, 4, 5], seed: 13), yt = randn([2, 5, 4], seed: 14)
        let xt = randn([2, 4, 3], seed: 15)
        expectGradients([x, y]) { $0[0].matmul($0[1]) }
        expectGradients([x, yt]) { $0[0].matmul($0[1], transposeB: true) }
        expectGradients([xt, y]) { $0[0].matmul($0[1], transposeA: true) }
        expectGradients([xt, yt]) { $0[0].matmul($0[1], transposeA: true, transposeB: true) }
        expectGradients([x, b]) { $0[0].matmul($0[1]) }                 // shared right factor, folded
        expectGradients([xt, b]) { $0[0].matmul($0[1], transposeA: true) } // shared, per-batch loop
        expectGradients([x, bt]) { $0[0].matmul($0[1], transposeB: true) }
    }

    @Test func matmulForwardMatchesMatrix() {
        var rng = Xoshiro256StarStar(seed: 3)
        let a = Tensor<Float>.randomNormal([5, 7], using: &rng), b = Tensor<Float>.randomNormal([7, 2], using: &rng)
        let ref = Matrix.gemm(a.toMatrix(), b.toMatrix())
        #expect(maxAbsDifference(a.matmul(b).storage, ref.storage) < 1e-5)
    }

    @Test func elementwiseGradients() {
        let x = randn([3, 5], seed: 16)
        let pos = Tensor<Double>(shape: [3, 5], storage: x.storage.map { Swift.abs($0) + 0.5 })
        expectGradients([x]) { $0[0].exp() }
        expectGradients([pos]) { $0[0].log() }
        expectGradients([pos]) { $0[0].sqrt() }
        expectGradients([pos]) { $0[0].pow(1.7) }
        expectGradients([x]) { $0[0].pow(2) }
        expectGradients([x]) { $0[0].pow(3) }
        expectGradients([x]) { $0[0].abs() }
        expectGradients([x]) { $0[0].clamped(min: -0.5, max: 0.7) }
    }

    @Test func activationGradients() {
        let x = randn([4, 6], seed: 17)
        expectGradients([x]) { $0[0].tanh() }
        expectGradients([x]) { $0[0].sigmoid() }
        expectGradients([x]) { $0[0].relu() }
        expectGradients([x]) { $0[0].leakyRelu(slope: 0.1) }
        expectGradients([x]) { $0[0].softplus() }
        expectGradients([x]) { $0[0].gelu() }
        expectGradients([x]) { $0[0].gelu(approximation: .tanh) }
        expectGradients([x]) { $0[0].silu() }
    }

    @Test func stableActivationsAtExtremes() {
        let x = Tensor<Float>([-100, -20, 0, 20, 100])
        let s = x.sigmoid().storage, sp = x.softplus().storage
        #expect(s.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(sp[0] >= 0 && sp[4] == 100 && Swift.abs(sp[2] - Float.log(2)) < 1e-6)
    }

    @Test func gradientAccumulatesWhenUsedTwice() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        let y = x * x + x           // dy/dx = 2x + 1
        y.backward()
        #expect(x.grad == [3, 5, 7])
        // A second backward adds to the leaf's gradient.
        (x * 2).backward()
        #expect(x.grad == [5, 7, 9])
        x.zeroGrad()
        #expect(x.grad == nil)
        expectGradients([randn([3], seed: 18)]) { x in
            let t = x[0].tanh()
            return t * t + t.exp() * x[0]     // t used in three places
        }
    }

    @Test func noGradientScopeAndDetach() {
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        let y = withoutGradient { w * w }
        #expect(!y.requiresGrad && y.parents.isEmpty)
        #expect(GradientMode.isEnabled)
        let z = withoutGradient { withGradient { w * w } }
        #expect(z.requiresGrad)
        let d = (w * 3).detach()
        #expect(!d.requiresGrad && d.storage == [3, 6])
        let loss = w * d        // d is a constant
        loss.backward()
        #expect(w.grad == [3, 6])
    }

    @Test func retainGraphAllowsSecondBackward() {
        let x = Tensor<Double>([2], requiresGrad: true)
        let y = (x * x).exp()
        y.backward(retainGraph: true)
        let g1 = x.grad![0]
        y.backward()
        #expect(Swift.abs(x.grad![0] - 2 * g1) < 1e-9)
    }
}
