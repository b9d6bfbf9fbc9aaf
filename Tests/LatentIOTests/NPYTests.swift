import Foundation
import Testing
import LatentCore
import LatentTestSupport
import LatentIO

@Suite struct NPYTests {
    /// `arange(12) * 1.5 - 4`, as the fixture script writes it.
    let base = (0..<12).map { Double($0) * 1.5 - 4 }
    let ints = [0, 1, -2, 300, -40000, Int(Int32.max), Int(Int32.min), 7, 8, 9, 10, 11]

    @Test func readsEveryDtypeIn1DAnd2D() throws {
        let expected: [String: [Double]] = [
            "f4": base, "f8": base, "i4": ints.map(Double.init), "i8": ints.map { Double($0 * 3) },
            "u1": (0..<12).map { Double($0 * 21) },
        ]
        for (descr, values) in expected {
            let vector: Matrix<Double> = try NPY.read(ioFixture("\(descr)_1d.npy"))
            #expect(vector.shape == (12, 1), "\(descr)")
            #expect(vector.storage == values, "\(descr)")
            let matrix: Matrix<Float> = try NPY.read(ioFixture("\(descr)_2d.npy"))
            #expect(matrix.shape == (3, 4), "\(descr)")
            #expect(matrix.storage == values.map(Float.init), "\(descr)")
        }
    }

    @Test func readsVersions2And3() throws {
        let v2: Matrix<Double> = try NPY.read(ioFixture("f8_2d_v2.npy"))
        #expect(v2 == Matrix(rows: 4, columns: 3, storage: base))
        #expect(try NPY.parseHeader(ioFixtureData("f8_2d_v2.npy")).version == 2)
        let v3: Matrix<Float> = try NPY.read(ioFixture("f4_1d_v3.npy"))
        #expect(v3.storage == base.map(Float.init))
        #expect(try NPY.parseHeader(ioFixtureData("f4_1d_v3.npy")).version == 3)
        let i2: Matrix<Double> = try NPY.read(ioFixture("i8_2d_v2.npy"))
        #expect(i2 == Matrix(rows: 6, columns: 2, storage: ints.map { Double($0 * 3) }))
    }

    @Test func specialValuesAreBitExact() throws {
        let m: Matrix<Double> = try NPY.read(ioFixture("f8_special.npy"))
        let expected: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1e-300]
        #expect(m.shape == (2, 4))
        #expect(zip(m.storage, expected).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        #expect(m.storage[1].sign == .minus)
        let scalar: Matrix<Double> = try NPY.read(ioFixture("f8_scalar.npy"))
        #expect(scalar == Matrix(rows: 1, columns: 1, storage: [2.5]))
        let empty: Matrix<Double> = try NPY.read(ioFixture("f8_empty.npy"))
        #expect(empty.shape == (0, 3))
    }

    @Test func encoderBytesEqualNumpySave() throws {
        for name in ["f4_random", "f4_2d"] {
            let file = try ioFixtureData(name + ".npy")
            let m: Matrix<Float> = try NPY.decode(file)
            #expect(NPY.encode(m) == file, "\(name)")
        }
        for name in ["f8_random", "f8_2d", "f8_special", "f8_empty"] {
            let file = try ioFixtureData(name + ".npy")
            let m: Matrix<Double> = try NPY.decode(file)
            #expect(NPY.encode(m) == file, "\(name)")
        }
        for name in ["f8_random_1d", "f8_1d"] {
            let file = try ioFixtureData(name + ".npy")
            let m: Matrix<Double> = try NPY.decode(file)
            #expect(NPY.encode(m, asVector: true) == file, "\(name)")
        }
        for (name, dtype) in [("i8_labels", NPY.DType.int64), ("i4_labels", .int32), ("u1_labels", .uint8), ("i4_1d", .int32)] {
            let file = try ioFixtureData(name + ".npy")
            #expect(NPY.encode(integers: try NPY.decodeIntegers(file), dtype: dtype) == file, "\(name)")
        }
    }

    @Test func readsIntegerLabels() throws {
        #expect(try NPY.readIntegers(ioFixture("i4_1d.npy")) == ints)
        #expect(try NPY.readIntegers(ioFixture("i8_1d.npy")) == ints.map { $0 * 3 })
        #expect(try NPY.readIntegers(ioFixture("u1_1d.npy")) == (0..<12).map { $0 * 21 })
        let labels = try NPY.readIntegers(ioFixture("i8_labels.npy"))
        #expect(labels.count == 50 && labels.allSatisfy { (0..<10).contains($0) })
        // Whole-number floats are accepted (labels saved as float arrays).
        let whole = NPY.encode(Matrix<Double>(rows: 3, columns: 1, storage: [2, 0, 7]))
        #expect(try NPY.decodeIntegers(whole) == [2, 0, 7])
    }

    @Test func roundTripThroughFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let m = Matrix<Float>.randomNormal(5, 3, seed: 9)
        let url = folder.appendingPathComponent("m.npy")
        try NPY.write(m, to: url)
        #expect(try NPY.read(url, as: Float.self) == m)
        let d = Matrix<Double>.randomNormal(4, 1, seed: 2)
        try NPY.write(d, to: url, asVector: true)
        #expect(try NPY.read(url, as: Double.self) == d)
        #expect(try NPY.parseHeader(Data(contentsOf: url)).shape == [4])
        try NPY.write(integers: [5, -1, 3], dtype: .int32, to: url)
        #expect(try NPY.readIntegers(url) == [5, -1, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.npy"])
    }

    @Test func headerPaddingIsAlignedTo64() throws {
        for rows in [0, 1, 9, 10, 99_999, 123_456_789_012] {
            let h = NPY.encode(Matrix<Double>(rows: rows, columns: 0, storage: []))
            #expect(h.count % 64 == 0 && h.last == 0x0A, "\(rows)")
            #expect(try NPY.parseHeader(h).shape == [rows, 0])
        }
    }

    // MARK: - Errors, each with its message

    @Test func rejectsUnsupportedFiles() throws {
        func error(_ name: String) -> IOError? {
            do { let _: Matrix<Double> = try NPY.read(ioFixture(name)); return nil } catch { return error as? IOError }
        }
        let p = { (name: String) in ioFixture(name).path }
        #expect(error("fortran.npy") == .unsupported(path: p("fortran.npy"), reason: "Fortran (column-major) order; save with np.ascontiguousarray first"))
        #expect(error("bigendian.npy") == .unsupported(path: p("bigendian.npy"), reason: "big-endian dtype >f8; convert with a.astype('<f8') first"))
        #expect(error("three_d.npy") == .unsupported(path: p("three_d.npy"), reason: "3-dimensional array of shape (2, 3, 2); Latent reads 1-D and 2-D arrays"))
        #expect(error("int16.npy") == .unsupported(path: p("int16.npy"), reason: "dtype <i2; Latent reads <f4, <f8, <i4, <i8, |u1"))
        #expect(error("structured.npy") == .unsupported(path: p("structured.npy"), reason: "structured dtype; Latent reads plain arrays of <f4, <f8, <i4, <i8, |u1"))
        #expect(throws: IOError.unsupported(path: p("f8_2d.npy"), reason: "integers need a 1-D array (or one column); the shape is (3, 4)")) {
            try NPY.readIntegers(ioFixture("f8_2d.npy"))
        }
        #expect(throws: IOError.corrupt(path: p("f8_1d.npy"), offset: 136, reason: "element 1 is -2.5, not a whole number")) {
            try NPY.readIntegers(ioFixture("f8_1d.npy"))
        }
    }

    @Test func rejectsDamagedBytesWithOffsets() {
        func error(_ data: Data) -> IOError? {
            do { let _: Matrix<Double> = try NPY.decode(data, path: "x.npy"); return nil } catch { return error as? IOError }
        }
        let good = NPY.encode(Matrix<Double>(rows: 2, columns: 2, storage: [1, 2, 3, 4]))
        #expect(error(Data("hello".utf8)) == .corrupt(path: "x.npy", offset: 0, reason: "not an .npy file (no \\x93NUMPY magic string)"))
        #expect(error(good.prefix(9)) == .corrupt(path: "x.npy", offset: 9, reason: "file ends inside the header length"))
        #expect(error(good.prefix(40)) == .corrupt(path: "x.npy", offset: 40, reason: "header of 118 bytes is truncated (file has 40 bytes)"))
        #expect(error(good.prefix(good.count - 3)) == .corrupt(path: "x.npy", offset: 157, reason: "shape (2, 2) of <f8 needs 32 bytes of data, the file has 29"))
        #expect(error(good + Data([1, 2])) == .corrupt(path: "x.npy", offset: 160, reason: "2 bytes of extra data after the array"))
        var v9 = good
        v9[6] = 9
        #expect(error(v9) == .unsupported(path: "x.npy", reason: "format version 9.0; Latent reads versions 1.0, 2.0 and 3.0"))
        let huge = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", payload: [])
        #expect(error(huge) == .corrupt(path: "x.npy", offset: 10, reason: "shape (4294967296, 4294967296) overflows"))
        let tooBig = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483648, 2147483648), }", payload: [])
        #expect(error(tooBig) == .corrupt(path: "x.npy", offset: 128, reason: "shape (2147483648, 2147483648) of <f8 needs more than \(Int.max) bytes of data, the file has 0"))
        let lying = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000), }", payload: [0, 0])
        #expect(error(lying) == .corrupt(path: "x.npy", offset: 130, reason: "shape (1000000, 1000) of <f8 needs 8000000000 bytes of data, the file has 2"))
        let overflow = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", payload: [])
        #expect(error(overflow) == .corrupt(path: "x.npy", offset: 79, reason: "header: shape dimension too large"))
        let noShape = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, }", payload: [])
        #expect(error(noShape) == .corrupt(path: "x.npy", offset: 10, reason: "header has no 'shape'"))
        let noDescr = npyBytes(header: "{'fortran_order': False, 'shape': (), }", payload: [])
        #expect(error(noDescr) == .corrupt(path: "x.npy", offset: 10, reason: "header has no 'descr'"))
        let noOrder = npyBytes(header: "{'descr': '<f8', 'shape': (), }", payload: [])
        #expect(error(noOrder) == .corrupt(path: "x.npy", offset: 10, reason: "header has no 'fortran_order'"))
        let badKey = npyBytes(header: "{'descr': '<f8', 'colour': 1}", payload: [])
        #expect(error(badKey) == .corrupt(path: "x.npy", offset: 27, reason: "header: unexpected key 'colour'"))
        let badBool = npyBytes(header: "{'fortran_order': Maybe}", payload: [])
        #expect(error(badBool) == .corrupt(path: "x.npy", offset: 28, reason: "header: fortran_order must be True or False"))
        let unterminated = npyBytes(header: "{'descr': '<f8", payload: [])
        #expect(error(unterminated) == .corrupt(path: "x.npy", offset: 64, reason: "header: unterminated string"))
        let badShape = npyBytes(header: "{'shape': (3; 4)}", payload: [])
        #expect(error(badShape) == .corrupt(path: "x.npy", offset: 22, reason: "header: expected ',' or ')' in the shape"))
        let negative = npyBytes(header: "{'shape': (-3,)}", payload: [])
        #expect(error(negative) == .corrupt(path: "x.npy", offset: 21, reason: "header: expected a non-negative integer in the shape"))
        let notDict = npyBytes(header: "['descr']", payload: [])
        #expect(error(notDict) == .corrupt(path: "x.npy", offset: 10, reason: "header: expected '{'"))
        let trailing = npyBytes(header: "{'shape': ()} extra", payload: [])
        #expect(error(trailing) == .corrupt(path: "x.npy", offset: 24, reason: "header: unexpected text after the dict"))
        let missingComma = npyBytes(header: "{'shape': () 'descr': '<f8'}", payload: [])
        #expect(error(missingComma) == .corrupt(path: "x.npy", offset: 23, reason: "header: expected ',' or '}'"))
        let missingColon = npyBytes(header: "{'shape' ()}", payload: [])
        #expect(error(missingColon) == .corrupt(path: "x.npy", offset: 19, reason: "header: expected ':'"))
        let noValue = npyBytes(header: "{'descr':", payload: [])
        #expect(error(noValue) == .corrupt(path: "x.npy", offset: 64, reason: "header: missing value"))
        let keyNotString = npyBytes(header: "{shape: ()}", payload: [])
        #expect(error(keyNotString) == .corrupt(path: "x.npy", offset: 11, reason: "header: expected a quoted string"))
    }

    @Test func missingFileIsCannotRead() {
        #expect(throws: IOError.cannotRead(path: "/nonexistent/a.npy", reason: "no such file")) {
            let _: Matrix<Double> = try NPY.read(URL(fileURLWithPath: "/nonexistent/a.npy"))
        }
        #expect(throws: IOError.cannotRead(path: "/tmp", reason: "is a folder, not a file")) {
            let _: Matrix<Double> = try NPY.read(URL(fileURLWithPath: "/tmp"))
        }
    }

    @Test func rejectsFortranOrder() {
        let data = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", payload: [UInt8](repeating: 0, count: 8))
        #expect(throws: IOError.unsupported(path: "f.npy", reason: "Fortran (column-major) order; save with np.ascontiguousarray first")) {
            let _: Matrix<Double> = try NPY.decode(data, path: "f.npy")
        }
    }
}
