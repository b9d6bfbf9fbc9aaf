import Foundation
import Testing
import LatentCore
@testable import LatentModels

@Suite("Interpolations and traversals in code space")
struct LatentPathsTests {
    @Test func linearAndSphericalPaths() {
        let a: [Double] = [1, 0], b: [Double] = [0, 2]
        let line = LatentPaths.interpolate(from: a, to: b, steps: 5)
        #expect(line.rows == 5 && Array(line.storage.prefix(2)) == a && Array(line.storage.suffix(2)) == b)
        #expect(Swift.abs(line[2, 0] - 0.5) < 1e-15 && Swift.abs(line[2, 1] - 1) < 1e-15)
        // slerp between orthogonal codes: the midpoint is (a + b)·sin(π/4)/sin(π/2), along the bisector's angle
        let arc = LatentPaths.interpolate(from: a, to: b, steps: 3, path: .spherical)
        #expect(Swift.abs(arc[1, 0] - Foundation.sin(Double.pi / 4)) < 1e-12 && Swift.abs(arc[1, 1] - 2 * Foundation.sin(Double.pi / 4)) < 1e-12)
        #expect(Swift.abs(arc[2, 0]) < 1e-12 && Swift.abs(arc[2, 1] - 2) < 1e-12)
        // equal-norm codes keep their norm along the arc (the linear path cuts inside)
        let u: [Double] = [3, 4, 0], v: [Double] = [0, -4, 3]
        let sphere = LatentPaths.interpolate(from: u, to: v, steps: 7, path: .spherical)
        for r in 0..<7 {
            let norm = (0..<3).reduce(0.0) { $0 + sphere[r, $1] * sphere[r, $1] }.squareRoot()
            #expect(Swift.abs(norm - 5) < 1e-12, "row \(r) norm \(norm)")
        }
        // parallel codes fall back to the straight line
        #expect(LatentPaths.interpolate(from: [1.0, 1], to: [2.0, 2], steps: 3, path: .spherical).storage == [1, 1, 1.5, 1.5, 2, 2])
    }

    @Test func traversalSweepsOneDimensionAtATime() {
        let grid = LatentPaths.traversal(centre: [0.5, -1.0], scales: [2, 0.5], steps: 3, range: 3)
        #expect(grid.rows == 6 && grid.columns == 2)
        #expect(grid.storage == [-5.5, -1, 0.5, -1, 6.5, -1,          // dimension 0: 0.5 + 2·(−3, 0, 3)
                                 0.5, -2.5, 0.5, -1, 0.5, 0.5])      // dimension 1: −1 + 0.5·(−3, 0, 3)
    }
}
