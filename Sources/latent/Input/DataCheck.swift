import Foundation
import Latent

/// What every command checks in the data it read before fitting anything: the documented rules
/// for degenerate input (exit 1, naming the file and the cell).
///
/// - A NaN or infinite value is refused at its row and column (CSV refuses it while reading; this
///   catches `.npy` and IDX files, which store any float).
/// - A value above 1e150 in magnitude is refused: its square overflows in the variances and
///   distances every method computes, which would print `inf` or `nan` as a result.
/// - Constant columns are allowed (they carry no variance and get none); data whose every column
///   is constant is refused by the methods that need variance (PCA: "every feature is constant").
/// - Duplicate rows are allowed; t-SNE refuses data whose rows are all identical.
enum DataCheck {
    /// The largest magnitude accepted: squares and sums of squares stay finite in Double.
    static let largestMagnitude = 1e150

    static func requireUsable<S: BLASScalar>(_ x: Matrix<S>, name: String) throws {
        let columns = Swift.max(x.columns, 1)
        if let i = x.storage.firstIndex(where: { !$0.isFinite }) {
            throw Failure("\(MessageText.quoted(name, limit: 200)): row \(i / columns + 1), column \(i % columns + 1): \(x.storage[i]) (NaN and infinity are refused)")
        }
        if let i = x.storage.firstIndex(where: { Swift.abs(Double($0)) > largestMagnitude }) {
            throw Failure("\(MessageText.quoted(name, limit: 200)): row \(i / columns + 1), column \(i % columns + 1): \(x.storage[i]) is too large (magnitudes above 1e150 overflow when squared); rescale the data")
        }
    }
}

/// Hints added to a reader's error when the cause is likely elsewhere.
enum DataHints {
    /// Runs a CSV read; when it fails on a file that uses `;` and no `--delimiter` was given, the
    /// message says so (European spreadsheets write `1,5;2,0`).
    static func csv<T>(_ path: String, delimiterGiven: Bool = false, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as IOError {
            guard !delimiterGiven, case .malformed = error,
                  let head = FileHandle(forReadingAtPath: path)?.readData(ofLength: 4096),
                  head.contains(UInt8(ascii: ";")) else { throw error }
            throw Failure("\(error.description) (the file has ';' in it: if ';' separates its fields, pass --delimiter ';')")
        }
    }
}
