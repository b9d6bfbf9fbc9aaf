import Foundation
import Testing
import LatentCore
import LatentTestSupport
import LatentIO

@Suite struct CSVTests {
    func table<S: BLASScalar>(_ text: String, as: S.Type = Double.self, delimiter: Character = ",", header: CSV.Header = .auto,
                              label: CSV.Column? = nil, drop: [CSV.Column] = [], allowNonFinite: Bool = false) throws -> CSVTable<S> {
        try CSV.decode(Data(text.utf8), delimiter: delimiter, header: header, label: label, drop: drop,
                       allowNonFinite: allowNonFinite, path: "t.csv")
    }

    /// The error `text` raises, for message checks.
    func error(_ text: String, header: CSV.Header = .auto, label: CSV.Column? = nil, drop: [CSV.Column] = [],
               allowNonFinite: Bool = false) -> IOError? {
        do { _ = try table(text, header: header, label: label, drop: drop, allowNonFinite: allowNonFinite); return nil }
        catch { return error as? IOError }
    }

    // MARK: - Values against NumPy

    @Test func quotedFixtureFromPythonCSVModule() throws {
        let t: CSVTable<Double> = try CSV.read(ioFixture("quoted.csv"), label: .name("species"))
        #expect(t.hasHeader)
        #expect(t.columnNames == ["sepal length", "sepal, width", "petal \"length\""])
        #expect(t.features == (try Fixtures.matrix("io/quoted_features")))
        #expect(t.labelName == "species")
        #expect(t.labels == ["setosa", "setosa", "versi\ncolor", "versi\"color\"", "virginica, var", "virginica, var"])
        let classes = try #require(t.classes)
        #expect(classes.classNames == ["setosa", "versi\ncolor", "versi\"color\"", "virginica, var"])
        #expect(classes.indices == [0, 0, 1, 2, 3, 3])
        #expect(classes.counts == [2, 1, 1, 2])
    }

    @Test func doublesParseExactlyAsNumPy() throws {
        let t: CSVTable<Double> = try CSV.read(ioFixture("doubles.csv"))
        #expect(!t.hasHeader)
        let expected: Matrix<Double> = try Fixtures.matrix("io/doubles")
        #expect(t.features.shape == expected.shape)
        #expect(zip(t.features.storage, expected.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
        let tsv: CSVTable<Double> = try CSV.read(ioFixture("savetxt.tsv"), delimiter: "\t")
        let expectedTSV: Matrix<Double> = try Fixtures.matrix("io/savetxt")
        #expect(zip(tsv.features.storage, expectedTSV.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func floatsParseExactlyAsNumPyFloat32() throws {
        let t: CSVTable<Float> = try CSV.read(ioFixture("floats.csv"))
        let expected: Matrix<Float> = try Fixtures.matrix("io/floats", as: Float.self)
        #expect(t.features.shape == (200, 6))
        #expect(zip(t.features.storage, expected.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
        // Doubles read as Float round once, from the decimal text, like numpy.float32(text).
        let d: CSVTable<Float> = try CSV.read(ioFixture("doubles.csv"), allowNonFinite: true)
        let reference: Matrix<Double> = try Fixtures.matrix("io/doubles")
        #expect(d.features.storage.enumerated().allSatisfy { i, v in
            let r = reference.storage[i]
            return Float(r) == v || (Float(r).nextUp == v || Float(r).nextDown == v) // double rounding differs by an ulp at most
        })
    }

    @Test func decimalSyntax() throws {
        let t = try table("1,-2,+3,.5,5.,1e3,1E-3,-.25e+1, 7 ,\t8\t,\"9\",0.000000000000000000000000001\n")
        #expect(t.features.storage == [1, -2, 3, 0.5, 5, 1000, 0.001, -2.5, 7, 8, 9, 1e-27])
        let long = try table("3.141592653589793238462643383279,123456789012345678901234567890\n")
        #expect(long.features.storage == [Double.pi, 1.2345678901234568e29])
        let specials = try table("nan,NaN,inf,-Infinity,+INF\n", allowNonFinite: true)
        #expect(specials.features.storage[0].isNaN && specials.features.storage[1].isNaN)
        #expect(Array(specials.features.storage[2...]) == [.infinity, -.infinity, .infinity])
        let negativeZero = try table("-0,-0.0\n")
        #expect(negativeZero.features.storage.allSatisfy { $0 == 0 && $0.sign == .minus })
    }

    @Test func plainAndQuotedCellsGiveIdenticalBits() throws {
        // Unquoted plain numbers take a fast path; quoted cells the general one. Same bits for both.
        var rng = Xoshiro256StarStar(seed: 11)
        var cells = [String]()
        for _ in 0..<3000 {
            var s = rng.bernoulli(0.3) ? "-" : ""
            s += String((0...rng.integer(below: 12)).map { _ in Character(String(rng.integer(below: 10))) })
            if rng.bernoulli(0.6) { s += "." + String((0..<rng.integer(below: 12)).map { _ in Character(String(rng.integer(below: 10))) }) }
            if rng.bernoulli(0.1) { s += "e\(rng.integer(below: 40) - 20)" }
            cells.append(s)
        }
        let width = 6
        func text(quoted: Bool, line: String) -> Data {
            let rows = stride(from: 0, to: cells.count, by: width).map { r in
                cells[r..<r + width].map { quoted ? "\"\($0)\"" : $0 }.joined(separator: ",")
            }
            return Data(rows.joined(separator: line).utf8)
        }
        for line in ["\n", "\r\n", "\r"] {
            let plainD: CSVTable<Double> = try CSV.decode(text(quoted: false, line: line), header: .absent)
            let quotedD: CSVTable<Double> = try CSV.decode(text(quoted: true, line: line), header: .absent)
            #expect(plainD.features.shape == (500, 6))
            #expect(zip(plainD.features.storage, quotedD.features.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
            #expect(zip(plainD.features.storage, cells).allSatisfy { $0.bitPattern == Double($1)!.bitPattern })
            let plainF: CSVTable<Float> = try CSV.decode(text(quoted: false, line: line), header: .absent)
            let quotedF: CSVTable<Float> = try CSV.decode(text(quoted: true, line: line), header: .absent)
            #expect(zip(plainF.features.storage, quotedF.features.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
            #expect(zip(plainF.features.storage, cells).allSatisfy { $0.bitPattern == Float($1)!.bitPattern })
        }
        // A delimiter that can be part of a number turns the fast path off.
        #expect(try table("1.5\n3.4\n", delimiter: ".", header: .absent).features == Matrix([[1, 5], [3, 4]]))
        #expect(try table("1-5\n3-4\n", delimiter: "-", header: .absent, label: .first).features == Matrix([[5], [4]]))
    }

    // MARK: - Header, label, dropping

    @Test func headerDetection() throws {
        #expect(try table("a,b\n1,2\n").hasHeader)
        #expect(try table("a,b\n1,2\n").columnNames == ["a", "b"])
        #expect(try !table("1,2\n3,4\n").hasHeader)
        #expect(try table("1,2\n3,4\n").columnNames == ["column1", "column2"])
        #expect(try table("1,2\n3,4\n").features == Matrix([[1, 2], [3, 4]]))
        // Numeric feature names: the label column's name still marks the header.
        let numericNames = try table("0,1,label\n5,6,7\n", label: .last)
        #expect(numericNames.hasHeader && numericNames.columnNames == ["0", "1"] && numericNames.labels == ["7"])
        let labelled = try table("x,y,class\n1,2,cat\n3,4,dog\n", label: .last)
        #expect(labelled.hasHeader && labelled.labels == ["cat", "dog"] && labelled.labelName == "class")
        // Text labels in the first record do not make a header when the other cells are numbers.
        let noHeader = try table("1,2,cat\n3,4,dog\n", label: .index(2))
        #expect(!noHeader.hasHeader && noHeader.features == Matrix([[1, 2], [3, 4]]) && noHeader.labelName == "column3")
        // Explicit choices override the rule.
        let forced = try table("1,2\n3,4\n", header: .present)
        #expect(forced.columnNames == ["1", "2"] && forced.features == Matrix([[3, 4]]))
        let one = try table("5,6\n", header: .absent)
        #expect(one.features == Matrix([[5, 6]]))
        // A name implies a header.
        let byName = try table("1,2\n3,4\n", label: .name("2"))
        #expect(byName.hasHeader && byName.labels == ["4"] && byName.columnNames == ["1"])
    }

    @Test func labelAndDropColumns() throws {
        let text = "id, name ,f1,f2,target\n1,alice,0.5,1.5,yes\n2,\"bob, jr\",2.5,3.5,no\n"
        let t = try table(text, label: .name("target"), drop: [.first, .name("name")])
        #expect(t.columnNames == ["f1", "f2"])
        #expect(t.features == Matrix([[0.5, 1.5], [2.5, 3.5]]))
        #expect(t.labels == ["yes", "no"])
        #expect(t.classes == LabelEncoding(["yes", "no"]))
        #expect(t.classes?.indices == [1, 0])
        let first = try table(text, label: .index(0), drop: [.index(1), .last])
        #expect(first.labels == ["1", "2"] && first.columnNames == ["f1", "f2"])
        // Numeric class labels sort by value: "10" after "9".
        let numeric = LabelEncoding(["10", "9", "2", "9"])
        #expect(numeric.classNames == ["2", "9", "10"] && numeric.indices == [2, 1, 0, 1])
        #expect(numeric.index(of: "10") == 2 && numeric.index(of: "11") == nil && numeric.classCount == 3)
        // Quoted empty labels are text; only unquoted empty cells are missing.
        #expect(try table("1,\"\"\n", label: .last).labels == [""])
    }

    @Test func delimitersLineEndsAndQuotes() throws {
        let expected = Matrix<Double>([[1, 2], [3, 4]])
        #expect(try table("a;b\r\n1;2\r\n3;4", delimiter: ";").features == expected)
        #expect(try table("a\tb\r1\t2\r3\t4\r", delimiter: "\t").features == expected)
        #expect(try table("\u{FEFF}a,b\n1,2\n3,4\n\n\n").features == expected)
        let q = try table("\"a\",\"b\nc\"\n\"1\",2\n", label: .name("b\nc"))
        #expect(q.labels == ["2"] && q.columnNames == ["a"])
        // A trailing delimiter makes an empty last field.
        #expect(try table("a,b,\n1,2,x\n", label: .last).labels == ["x"])
        // Gzip-compressed text is inflated first.
        #expect(try CSV.decode(Gzip.compress(Data("a,b\n1,2\n3,4\n".utf8)), as: Double.self).features == expected)
        // Zero feature columns are allowed.
        #expect(try table("y\n1\n2\n", label: .first).features.shape == (2, 0))
    }

    @Test func largeInputsSplitIntoChunksKeepLineNumbers() throws {
        // Over 1 MiB and no quotes: read in parallel chunks when more than one thread is available.
        let m = Matrix<Double>(rows: 30000, columns: 6) { i, j in Double(i * 7 + j) * 0.25 - 1000 }
        let labels = (0..<30000).map { "c\($0 % 7)" }
        let data = CSV.encode(m, columnNames: ["a", "b", "c", "d", "e", "f"], labels: labels)
        #expect(data.count > 1 << 20)
        let t: CSVTable<Double> = try CSV.decode(data + Data("\n\r\n".utf8), label: .last)
        #expect(t.features == m && t.labels == labels)
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let crlf: CSVTable<Float> = try CSV.decode(Data(lines.joined(separator: "\r\n").utf8), label: .last)
        #expect(crlf.features == Matrix<Float>(rows: 30000, columns: 6, storage: m.storage.map(Float.init)))
        // Errors far into the input name their true line (header: line 1; row i: line i + 2).
        lines[27001] = "1,2,3,x,5,6,c1"
        #expect(throws: IOError.malformed(path: "big.csv", line: 27002, column: 4, reason: "not a number: \"x\"")) {
            let _: CSVTable<Double> = try CSV.decode(Data(lines.joined(separator: "\n").utf8), label: .last, path: "big.csv")
        }
        lines[20000] = ""
        #expect(throws: IOError.malformed(path: "big.csv", line: 20001, column: 1, reason: "empty line")) {
            let _: CSVTable<Double> = try CSV.decode(Data(lines.joined(separator: "\n").utf8), label: .last, path: "big.csv")
        }
    }

    // MARK: - Writing

    @Test func writerRoundTripsValuesNamesAndLabels() throws {
        var m = Matrix<Double>.randomNormal(6, 4, seed: 3)
        m[0, 0] = 1e-300; m[0, 1] = -0.0; m[0, 2] = 42; m[0, 3] = 0x1p53
        m[1, 0] = 1e22; m[1, 1] = -7; m[1, 2] = 0.1; m[1, 3] = .leastNonzeroMagnitude
        let names = ["plain", "with, comma", "with \"quote\"", " spaced "]
        let labels = ["a", "b,c", "d\ne", "", "f", "g\"h"]
        for position in [CSV.LabelPosition.first, .last] {
            let data = CSV.encode(m, columnNames: names, labels: labels, labelName: "y", labelPosition: position)
            let back: CSVTable<Double> = try CSV.decode(data, label: position == .first ? .first : .last)
            #expect(zip(back.features.storage, m.storage).allSatisfy { $0.bitPattern == $1.bitPattern })
            #expect(back.columnNames == ["plain", "with, comma", "with \"quote\"", "spaced"])
            #expect(back.labels == labels && back.labelName == "y")
        }
        let plain = String(decoding: CSV.encode(Matrix<Double>([[1, 2.5], [-3, 1e-05]])), as: UTF8.self)
        #expect(plain == "1,2.5\n-3,1e-05\n")
        let f = Matrix<Float>.randomNormal(5, 3, seed: 8)
        let back: CSVTable<Float> = try CSV.decode(CSV.encode(f, delimiter: ";"), delimiter: ";")
        #expect(back.features == f)
        let nonFinite = String(decoding: CSV.encode(Matrix<Double>([[.nan, .infinity, -.infinity]])), as: UTF8.self)
        #expect(nonFinite == "nan,inf,-inf\n")
    }

    @Test func writeIsAtomicAndReadsBack() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.csv")
        let m = Matrix<Double>(rows: 3000, columns: 5) { i, j in Double(i) * 0.5 - Double(j) }
        try CSV.write(m, to: url, columnNames: ["a", "b", "c", "d", "e"], labels: (0..<3000).map { "\($0 % 3)" })
        let t: CSVTable<Double> = try CSV.read(url, label: .last)
        #expect(t.features == m && t.classes?.counts == [1000, 1000, 1000])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.csv"])
        #expect(throws: IOError.self) { try CSV.write(m, to: folder.appendingPathComponent("missing/x.csv")) }
    }

    // MARK: - Errors name file, line and column

    @Test func errorsNameLineAndColumn() throws {
        func m(_ line: Int, _ column: Int, _ reason: String) -> IOError { .malformed(path: "t.csv", line: line, column: column, reason: reason) }
        #expect(error("") == m(1, 1, "empty file"))
        #expect(error("\n\r\n") == m(1, 1, "empty file"))
        #expect(error("a,b\n") == m(2, 1, "no data rows after the header"))
        #expect(error("a,b\n1,2\n3\n") == m(3, 2, "expected 2 fields, found 1"))
        #expect(error("a,b\n1,2\n3,4,5\n") == m(3, 3, "expected 2 fields, found 3"))
        #expect(error("a,b\n1,2\n3,4,5") == m(3, 3, "expected 2 fields, found 3"))
        #expect(error("a,b\n1,\"x\ny\",5\n", label: .index(1)) == m(3, 3, "expected 2 fields, found 3"))
        #expect(error("a,b\n1,2\n3,\n") == m(3, 2, "missing value"))
        #expect(error("a,b\n1,2\n3, \n") == m(3, 2, "missing value"))
        #expect(error("a,b\n1,2\n3,x7\n") == m(3, 2, "not a number: \"x7\""))
        #expect(error("a,b\n1,2\n3,1e\n") == m(3, 2, "not a number: \"1e\""))
        #expect(error("a,b\n1,2\n3,\"a\"\"b\"\n") == m(3, 2, "not a number: \"a\\\"b\""))
        #expect(error("a,b\n1,2\n3,\(String(repeating: "z", count: 50))\n") == m(3, 2, "not a number: \"\(String(repeating: "z", count: 40))…\""))
        #expect(error("a,b\n1,2\n3,nan\n") == m(3, 2, "\"nan\" is not a finite number (NaN and infinity are refused)"))
        #expect(error("a,b\n1,2\n-inf,4\n") == m(3, 1, "\"-inf\" is not a finite number (NaN and infinity are refused)"))
        #expect(error("a,b\n1,2\n\n3,4\n") == m(3, 1, "empty line"))
        #expect(error("a,b\n1,\"2\n3,4\n") == m(2, 2, "quoted field is not closed"))
        #expect(error("a,b\n1,\"2\"x\n") == m(2, 2, "text after the closing quote of a quoted field"))
        #expect(error("a,b\n1,\"2\n\"x\n") == m(3, 2, "text after the closing quote of a quoted field"))
        #expect(error("a,b\n1,2\"\n") == m(2, 2, "quote inside an unquoted field (quote the whole field and double the quote)"))
        #expect(error("a,b\n1,2\n", label: .name("c")) == m(1, 1, "no column named 'c'; the header has 'a', 'b'"))
        #expect(error("a,b,a\n1,2,3\n", label: .name("a")) == m(1, 3, "column name 'a' appears more than once"))
        #expect(error("1,2\n", header: .absent, label: .name("a")) == m(1, 1, "column 'a' chosen by name, but the file has no header"))
        #expect(error("a,b\n1,2\n", label: .index(2)) == m(1, 1, "column 3 is outside the 2 columns (positions count from 1; -1 is the last)"))
        #expect(error("a,b\n1,2\n", drop: [.index(-3)]) == m(1, 1, "column -3 is outside the 2 columns (positions count from 1; -1 is the last)"))
        // Negative positions count from the end, as the message says: -1 is the last, -2 the one before.
        let fromEnd: CSVTable<Double> = try CSV.decode(Data("a,b,c\n1,2,3\n".utf8), label: .index(-1), drop: [.index(-3)])
        #expect(fromEnd.columnNames == ["b"] && fromEnd.labels == ["3"] && fromEnd.features.storage == [2])
        #expect(error("a,b\n1,2\n", label: .last, drop: [.name("b")]) == m(1, 2, "column 2 is both the label and dropped"))
        #expect(error("a,b\n1,x\n3,\n", label: .last) == m(3, 2, "missing label"))
        // A multi-line quoted field moves later lines on.
        #expect(error("a,b\n\"x\ny\",2\n3,?\n", drop: [.first]) == m(4, 2, "not a number: \"?\""))
        // Errors from files carry the file's path.
        #expect(throws: IOError.cannotRead(path: "/nonexistent/x.csv", reason: "no such file")) {
            let _: CSVTable<Double> = try CSV.read(URL(fileURLWithPath: "/nonexistent/x.csv"))
        }
    }
}
