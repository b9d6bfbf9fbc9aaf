import LatentCore
import LatentTestSupport

/// Loads `Tests/Fixtures/eval/<name>.npy` (written by scripts/fixtures/eval.py).
func evalMatrix<S: BLASScalar>(_ name: String, as: S.Type = Double.self) throws -> Matrix<S> {
    try Fixtures.matrix("eval/" + name, as: S.self)
}

/// Loads an integer-valued fixture vector.
func evalLabels(_ name: String) throws -> [Int] {
    try Fixtures.vector("eval/" + name, as: Double.self).map { Int($0) }
}

/// Loads a scalar fixture.
func evalScalar(_ name: String) throws -> Double {
    try Fixtures.vector("eval/" + name, as: Double.self)[0]
}

/// `count` points around `classes` well-separated centres in `dimension` dimensions, labels cycling.
func separatedBlobs<S: BLASScalar>(count: Int, classes: Int, dimension: Int, spread: Double = 0.3, seed: UInt64,
                                   as: S.Type = S.self) -> (x: Matrix<S>, labels: [Int]) {
    var rng = Xoshiro256StarStar(seed: seed)
    let centres = (0..<classes).map { _ in (0..<dimension).map { _ in 4 * rng.normal() } }
    let labels = (0..<count).map { $0 % classes }
    let rows = labels.map { c in centres[c].map { S($0 + spread * rng.normal()) } }
    return (Matrix(rows), labels)
}
