import Foundation
import Testing
import LatentCore
@testable import LatentIO

/// Pixel count and centroid (x, y) of a binary image.
private func moments(_ image: [UInt8]) -> (area: Double, x: Double, y: Double, angle: Double) {
    var n = 0.0, sx = 0.0, sy = 0.0
    for (i, p) in image.enumerated() where p != 0 {
        n += 1; sx += Double(i % 64) + 0.5; sy += Double(i / 64) + 0.5
    }
    let (mx, my) = (sx / n, sy / n)
    var xx = 0.0, yy = 0.0, xy = 0.0
    for (i, p) in image.enumerated() where p != 0 {
        let dx = Double(i % 64) + 0.5 - mx, dy = Double(i / 64) + 0.5 - my
        xx += dx * dx; yy += dy * dy; xy += dx * dy
    }
    // direction of the principal axis, in [0, π)
    var angle = 0.5 * Foundation.atan2(2 * xy, xx - yy)
    if angle < 0 { angle += Double.pi }
    return (n, mx, my, angle)
}

@Suite("dSprites generated on demand")
struct DSpritesTests {
    @Test func gridAndFactorOrder() {
        #expect(DSprites.count == 737_280)
        #expect(DSprites.factors(of: 0) == [0, 0, 0, 0, 0])
        #expect(DSprites.factors(of: 1) == [0, 0, 0, 0, 1])                 // y varies fastest
        #expect(DSprites.factors(of: 32) == [0, 0, 0, 1, 0])
        #expect(DSprites.factors(of: 32 * 32 * 40 * 6) == [1, 0, 0, 0, 0])
        #expect(DSprites.factors(of: DSprites.count - 1) == [2, 5, 39, 31, 31])
        var rng = Xoshiro256StarStar(seed: 1)
        for _ in 0..<200 {
            let i = rng.integer(below: DSprites.count)
            #expect(DSprites.index(of: DSprites.factors(of: i)) == i)
        }
        #expect(DSprites.scale(5) == 1.0 && DSprites.scale(0) == 0.5)
        let x = DSprites.images([0, 1000, 737_279], as: Float.self)
        #expect(x.rows == 3 && x.columns == 4096 && x.storage.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(DSprites.factorMatrix([1000], as: Double.self).storage == DSprites.factors(of: 1000).map(Double.init))
    }

    @Test func areaGrowsWithScaleAsItsSquare() {
        for shape in 0..<3 {
            let areas = (0..<6).map { moments(DSprites.image(DSprites.index(of: [shape, $0, 7, 16, 16]))).area }
            #expect(zip(areas, areas.dropFirst()).allSatisfy { $0 < $1 }, "shape \(shape): \(areas)")
            let ratio = areas[5] / areas[0]
            #expect(Swift.abs(ratio - 4) < 0.4, "shape \(shape): area ratio scale 1 / scale 0.5 is \(ratio), expected about 4")
        }
        // the unrotated square at scale 1: pixel centres within 6.5 px of the centre (10, 10), 14 × 14
        #expect(moments(DSprites.image(DSprites.index(of: [0, 5, 0, 0, 0]))).area == 196)
    }

    @Test func centroidFollowsPosition() {
        for shape in 0..<3 {
            let base = moments(DSprites.image(DSprites.index(of: [shape, 3, 5, 0, 0])))
            for k in [1, 8, 15, 22, 31] {
                let mx = moments(DSprites.image(DSprites.index(of: [shape, 3, 5, k, 0])))
                let my = moments(DSprites.image(DSprites.index(of: [shape, 3, 5, 0, k])))
                let step = 44 * Double(k) / 31
                #expect(Swift.abs(mx.x - base.x - step) < 0.6 && Swift.abs(mx.y - base.y) < 0.6, "shape \(shape), x class \(k)")
                #expect(Swift.abs(my.y - base.y - step) < 0.6 && Swift.abs(my.x - base.x) < 0.6, "shape \(shape), y class \(k)")
            }
        }
        // no sprite touches the border at its extreme positions
        for f in [[0, 5, 5, 0, 0], [0, 5, 5, 31, 31], [2, 5, 20, 0, 31]] {
            let image = DSprites.image(DSprites.index(of: f))
            var border: [UInt8] = []
            for i in 0..<64 { border += [image[i], image[63 * 64 + i], image[i * 64], image[i * 64 + 63]] }
            #expect(border.allSatisfy { $0 == 0 }, "\(f) touches the border")
        }
    }

    @Test func orientationTurnsBy2PiOver40() {
        // the ellipse's long axis turns with the orientation class (mod π, the ellipse's symmetry);
        // the angle is measured in image coordinates (y down), where the mapping turns clockwise
        for k in 0..<40 {
            let measured = moments(DSprites.image(DSprites.index(of: [1, 5, k, 16, 16]))).angle
            let expected = (Double(k) * 2 * Double.pi / 40).truncatingRemainder(dividingBy: Double.pi)
            var error = Swift.abs(measured - expected)
            error = Swift.min(error, Double.pi - error)
            #expect(error < 0.03, "orientation \(k): axis at \(measured), expected \(expected)")
        }
        // the square repeats every 10 classes (π/2), the heart only after all 40 (k = 0 and 20 differ)
        let square = { DSprites.image(DSprites.index(of: [0, 5, $0, 16, 16])) }
        let same = zip(square(3), square(13)).filter { $0 != $1 }.count
        #expect(same <= 4, "square at 27° and 117° differ in \(same) pixels")
        let heart = { moments(DSprites.image(DSprites.index(of: [2, 5, $0, 16, 16]))) }
        // upright (θ = 0) the lobes are on top, so the mass sits above the centre; at π it sits below
        #expect(heart(20).y > heart(0).y + 0.5)
    }
}
