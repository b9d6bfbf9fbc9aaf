import Foundation
import Testing
import LatentCore
@testable import LatentIO

@Suite struct NPYTests {
    @Test func roundTripFloatAndDouble() throws {
        let m = Matrix<Float>.randomNormal(5, 3, seed: 9)
        let back: Matrix<Float> = try NPY.decode(NPY.encode(m))
        #expect(back == m)
        let d = Matrix<Double>.randomNormal(4, 1, seed: 2)
        let back1: Matrix<Double> = try NPY.decode(NPY.encode(d, asVector: true))
        #expect(back1 == d)
    }

    @Test func rejectsFortranOrder() {
        var header = "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0])
        data.append(contentsOf: Array(header.utf8) + [UInt8](repeating: 0, count: 8))
        #expect(throws: IOError.unsupported(path: "f.npy", reason: "Fortran (column-major) order; save with np.ascontiguousarray first")) {
            let _: Matrix<Double> = try NPY.decode(data, path: "f.npy")
        }
    }
}
