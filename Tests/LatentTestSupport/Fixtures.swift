import Foundation
import LatentCore
import LatentIO

/// Reference outputs written by `scripts/fixtures/*.py` (NumPy/scikit-learn) under `Tests/Fixtures/`.
public enum Fixtures {
    /// `Tests/Fixtures`, found from this source file's location (tests run from a checkout).
    public static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Loads `Tests/Fixtures/<name>.npy` as a matrix (1-D arrays become one column).
    public static func matrix<S: BLASScalar>(_ name: String, as: S.Type = Double.self) throws -> Matrix<S> {
        try NPY.read(folder.appendingPathComponent(name + ".npy"))
    }

    /// Loads `Tests/Fixtures/<name>.npy` as a flat array.
    public static func vector<S: BLASScalar>(_ name: String, as: S.Type = Double.self) throws -> [S] {
        try matrix(name, as: S.self).storage
    }
}
