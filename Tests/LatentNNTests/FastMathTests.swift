import Testing
import LatentCore
@testable import LatentNN

@Suite("Single-precision exp, erf and log1p")
struct FastMathTests {
    @Test func expWithinOneUlp() {
        var worst = 0.0
        for i in 0...200_000 {
            let x = Float(-87 + 175 * Double(i) / 200_000)
            let ref = Double.exp(Double(x))
            worst = Swift.max(worst, Swift.abs(Double(expFloat(x)) - ref) / ref)
        }
        #expect(worst < Double(Float.ulpOfOne))
        #expect(expFloat(0) == 1)
        #expect(expFloat(-.infinity) == 0 && expFloat(-100) == 0)
        #expect(expFloat(.infinity) == .infinity && expFloat(100) == .infinity)
        #expect(expFloat(.nan).isNaN)
    }

    @Test func erfWithinFiveTenMillionths() {
        var worst = 0.0
        for i in 0...120_000 {
            let x = Float(-6 + 12 * Double(i) / 120_000)
            worst = Swift.max(worst, Swift.abs(Double(erfFloat(x)) - Double.erf(Double(x))))
        }
        #expect(worst < 5e-7)
        #expect(erfFloat(0) == 0 && erfFloat(.infinity) > 0.999_999 && erfFloat(.nan).isNaN)
    }

    @Test func log1pWithinTwoUlp() {
        var worst = 0.0
        // dense near 0 (where log1p must keep u's digits) and out to 1e6
        for i in 0...200_000 {
            let t = Double(i) / 200_000
            let u = Float(1e-12 * Double.pow(1e18, t))
            let ref = Double.log(onePlus: Double(u))
            worst = Swift.max(worst, Swift.abs(Double(log1pFloat(u)) - ref) / ref)
        }
        #expect(worst < 2 * Double(Float.ulpOfOne), "worst relative error \(worst)")
        #expect(log1pFloat(0) == 0 && Swift.abs(log1pFloat(1) - Float(Double.log(2))) <= Float(Double.log(2)).ulp)
        #expect(log1pFloat(.infinity) == .infinity && log1pFloat(.nan).isNaN)
        #expect(log1pFloat(Float.leastNormalMagnitude) == Float.leastNormalMagnitude)
    }

    @Test func floatActivationsMatchDouble() {
        var rng = Xoshiro256StarStar(seed: 70)
        let xd = Tensor<Double>.randomNormal([64, 33], standardDeviation: 4, using: &rng)
        let xf = xd.converted(to: Float.self)
        let pairs: [(Tensor<Float>, Tensor<Double>)] = [
            (xf.exp(), xd.exp()), (xf.sigmoid(), xd.sigmoid()), (xf.softplus(), xd.softplus()),
            (xf.gelu(), xd.gelu()), (xf.silu(), xd.silu()), (xf.tanh(), xd.tanh()),
            (xf.gelu(approximation: .tanh), xd.gelu(approximation: .tanh)), (xf.softmax(alongAxis: 1), xd.softmax(alongAxis: 1)),
            (xf.logSoftmax(alongAxis: 0), xd.logSoftmax(alongAxis: 0)),
        ]
        for (f, d) in pairs {
            let err = zip(f.storage, d.storage).map { Swift.abs(Double($0) - $1) / Swift.max(1, Swift.abs($1)) }.max()!
            #expect(err < 2e-6, "\(f.op): \(err)")
        }
    }

    @Test func tanhMatchesTheCLibraryInDouble() {
        let xs = (0...4000).map { i -> Double in let t = Double(i - 2000) / 100; return t * t * t / 400 }   // dense near 0
        let y = Tensor<Double>(xs).tanh().storage
        let worst = zip(xs, y).map { Swift.abs($1 - Double.tanh($0)) / Swift.max(Swift.abs(Double.tanh($0)), 1e-300) }.max()!
        #expect(worst < 1e-13)
    }

    /// The AVX2 + FMA GELU kernels (used for `Float` where the processor has them) against the
    /// portable `GELUFunction` and against `Double`: forward and gradient, every tail length 1…17,
    /// written and accumulated gradients, NaN, ±∞ and saturated inputs.
    @Test func avx2GELUMatchesThePortablePathAndDouble() throws {
        try #require(cpuHasAVX2FMA, "no AVX2 + FMA here: the kernels are not used")
        var rng = Xoshiro256StarStar(seed: 71)
        for n in 1...17 {
            let values = (0..<n).map { _ in Float(rng.normal() * 3) }
            let x = Tensor<Float>(shape: [n], storage: values, requiresGrad: true)
            let y = x.gelu()
            let g = (0..<n).map { _ in Float(rng.normal()) }
            y.backward(seed: g)
            for i in 0..<n {
                let f = GELUFunction<Float>(), xi = values[i]
                let portable = f.value(xi), derivative = f.derivative(xi, portable)
                #expect(Swift.abs(y.storage[i] - portable) <= 4 * Swift.max(Swift.abs(portable), 1) * Float.ulpOfOne)
                #expect(Swift.abs(x.grad![i] - g[i] * derivative) <= 4 * Swift.max(Swift.abs(g[i] * derivative), 1) * Float.ulpOfOne)
                let exact = Double(xi) * (1 + Double.erf(Double(xi) / 2.0.squareRoot())) / 2
                #expect(Swift.abs(Double(y.storage[i]) - exact) < 2e-6 * Swift.max(1, Swift.abs(exact)))
            }
            // a second backward adds into the existing gradient
            let first = x.grad!
            x.gelu().backward(seed: g)
            #expect(zip(x.grad!, first).allSatisfy { Swift.abs($0 - 2 * $1) <= 4 * Swift.max(Swift.abs($1), 1) * Float.ulpOfOne })
        }
        let special: [Float] = [.nan, .infinity, -.infinity, 10, -10, 0, -0.0, 1e-30, 200, -200]
        for (kernel, xi) in zip(Tensor<Float>(special).gelu().storage, special) {
            let portable = GELUFunction<Float>().value(xi)
            #expect(kernel == portable || (kernel.isNaN && portable.isNaN), "gelu(\(xi)): \(kernel) against \(portable)")
        }
    }
}
