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
}
