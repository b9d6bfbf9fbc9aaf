import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LatentCore
import Testing
@testable import LatentPlot

/// Parses SVG text with Foundation's XMLParser, counting elements and collecting attributes.
final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    /// Each text with the class of its innermost enclosing group that has one.
    var textsByGroup: [(group: String, text: String)] = []
    private var groups: [String?] = []
    private var current = ""

    static func parse(_ text: String) -> SVGInspector? {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes)); current = ""
        if name == "g" { groups.append(attributes["class"]) }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current); textsByGroup.append((groups.compactMap { $0 }.last ?? "", current)) }
        if name == "g" { groups.removeLast() }
        current = ""
    }

    func count(_ name: String, class c: String? = nil) -> Int {
        elements.filter { $0.name == name && (c == nil || $0.attributes["class"] == c) }.count
    }
}

@Suite struct TicksTests {
    @Test func linearTicksAreOneTwoFiveTimesPowersOfTen() {
        #expect(Ticks.linear(low: 0, high: 1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.linear(low: -3.7, high: 12.2) == [-5, 0, 5, 10, 15])
        #expect(Ticks.linear(low: 0.61, high: 0.83, target: 5) == [0.6, 0.65, 0.7, 0.75, 0.8, 0.85])
        #expect(Ticks.linear(low: 1200, high: 98000) == [0, 20000, 40000, 60000, 80000, 100000])
        #expect(Ticks.linear(low: 3, high: 3) == [1.5, 2, 2.5, 3, 3.5, 4, 4.5])   // widened to 3 ± 1.5
        for (low, high) in [(0.0013, 0.0071), (-1e6, 3e5), (17.0, 19.5), (-0.2, 0.9)] {
            let step = Ticks.niceStep(low: low, high: high)
            let mantissa = step / pow(10, log10(step).rounded(.down))
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 })
            let ticks = Ticks.linear(low: low, high: high)
            #expect(ticks.first! <= low && ticks.last! >= high && (4...10).contains(ticks.count))
        }
        #expect(Ticks.log2(low: 1, high: 8) == [1, 2, 4, 8] && Ticks.log2(low: 0.7, high: 5) == [0.5, 1, 2, 4, 8])
        #expect(Ticks.label(0.30000000000000004, step: 0.1) == "0.3" && Ticks.label(-0.0, step: 0.05) == "0.00")
        #expect(Ticks.label(20000, step: 20000) == "20000" && Ticks.decimals(step: 0.25) == 2)
    }
}

@Suite struct SVGTests {
    @Test func textIsEscapedAndNumbersRounded() {
        #expect(SVGDocument.escape("a<b & \"c\" 'd'>\u{1}") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        #expect(SVGDocument.number(12.34) == "12.3" && SVGDocument.number(5) == "5" && SVGDocument.number(-0.04) == "0"
                && SVGDocument.number(-2.25) == "-2.3" && SVGDocument.number(.nan) == "0")
        var doc = SVGDocument(width: 100, height: 50)
        doc.element("text", ["x": "1", "y": "2", "data-note": "x<\"y\""], text: "T-shirt & <top>")
        let parsed = SVGInspector.parse(doc.text)
        #expect(parsed?.texts == ["T-shirt & <top>"])
        #expect(parsed?.elements.last?.attributes["data-note"] == "x<\"y\"")
    }

    @Test func scatterHasOneCirclePerPointAndOneLegendEntryPerClass() throws {
        var rng: UInt64 = 7
        func next() -> Double { rng = rng &* 6_364_136_223_846_793_005 &+ 1; return Double(rng >> 11) / Double(1 << 53) }
        let n = 10_000
        let labels = (0..<n).map { $0 % 10 }
        let points = Matrix<Float>(rows: n, columns: 2) { i, j in Float(next() * 4 - 2 + Double(labels[i]) * (j == 0 ? 1 : -0.5)) }
        var withNaN = points
        withNaN[3, 1] = .nan
        let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle <boot>"]
        let plot = ScatterPlot(title: "PCA & friends", classNames: names)
        let text = plot.svg(withNaN, labels: labels).text
        let svg = try #require(SVGInspector.parse(text))
        #expect(svg.count("circle") == n - 1)
        #expect(svg.count("g", class: "legend-entry") == 10)
        #expect(svg.texts.contains("Ankle <boot>") && svg.texts.contains("PCA & friends"))
        #expect(text.utf8.count < 600_000)
        // Every circle lies inside the plot frame (the first rect after the background).
        let frame = try #require(svg.elements.first { $0.name == "rect" && $0.attributes["fill"] == "none" }?.attributes)
        let x0 = Double(frame["x"]!)!, y0 = Double(frame["y"]!)!, w = Double(frame["width"]!)!, h = Double(frame["height"]!)!
        let circles = svg.elements.filter { $0.name == "circle" }
        #expect(circles.allSatisfy { c in
            let cx = Double(c.attributes["cx"]!)!, cy = Double(c.attributes["cy"]!)!
            return cx >= x0 && cx <= x0 + w && cy >= y0 && cy <= y0 + h
        })
        // The legend lies right of the frame, so it never covers points.
        let legendX = svg.elements.filter { $0.name == "rect" && $0.attributes["width"] == "12" }.map { Double($0.attributes["x"]!)! }
        #expect(legendX.count == 10 && legendX.allSatisfy { $0 > x0 + w })
        // Tick labels are evenly spaced multiples of a nice step (1, 2 or 5 × 10ᵏ).
        for axis in ["x-ticks", "y-ticks"] {
            let ticks = svg.textsByGroup.filter { $0.group == axis }.map { Double($0.text)! }
            #expect(ticks.count >= 4)
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow(10, log10(step).rounded(.down))
            #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 })
            #expect(ticks.allSatisfy { abs($0 / step - ($0 / step).rounded()) < 1e-9 })
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { abs($1 - $0 - step) < 1e-9 })
        }
    }

    @Test func unlabelledScatterHasNoLegend() throws {
        let svg = try #require(SVGInspector.parse(ScatterPlot().svg(Matrix<Double>([[0, 0], [1, 2], [3, 1]])).text))
        #expect(svg.count("circle") == 3 && svg.count("g", class: "legend-entry") == 0)
    }

    @Test func pointNamesAreWrittenBesideTheirPoints() throws {
        let points = Matrix<Double>([[0, 0], [1, 2], [.nan, 1], [3, 1]])
        let svg = try #require(SVGInspector.parse(ScatterPlot().svg(points, pointNames: ["king", "<queen>", "lost", "naïve"]).text))
        let names = svg.textsByGroup.filter { $0.group == "point-names" }.map(\.text)
        #expect(names == ["king", "<queen>", "naïve"], "the row with a NaN coordinate has neither point nor name")
        #expect(svg.count("circle") == 3)
    }

    @Test func accuracyAgainstShotsOnALogTwoAxis() throws {
        let plot = LinePlot(title: "Few-shot accuracy", xLabel: "shots per class", yLabel: "accuracy",
                            xScale: .log2, yRange: 0...1)
        let series = [
            LinePlot.Series(name: "PCA 50", x: [1, 2, 4, 8], y: [0.52, 0.60, 0.66, 0.70], errors: [0.02, 0.015, 0.01, 0.008]),
            LinePlot.Series(name: "raw pixels", x: [1, 2, 4, 8], y: [0.48, 0.55, 0.61, 0.66], errors: [0.02, 0.02, 0.01, 0.01]),
        ]
        let svg = try #require(SVGInspector.parse(plot.svg(series).text))
        #expect(svg.count("polyline") == 2 && svg.count("path", class: "error-bar") == 8 && svg.count("circle") == 8)
        #expect(svg.count("g", class: "legend-entry") == 2)
        for t in ["1", "2", "4", "8", "0.0", "0.2", "1.0", "Few-shot accuracy", "PCA 50"] { #expect(svg.texts.contains(t)) }
        // Equal spacing of 1, 2, 4, 8 on the log axis.
        let xs = svg.elements.filter { $0.name == "circle" }.prefix(4).map { Double($0.attributes["cx"]!)! }
        #expect(abs((xs[1] - xs[0]) - (xs[3] - xs[2])) < 0.11)
    }

    @Test func trainingCurvesBreakAtMissingValues() throws {
        let curve = LinePlot.Series(name: "loss", y: [2.3, 1.1, .nan, 0.6, 0.5])
        #expect(curve.x == [1, 2, 3, 4, 5])
        let svg = try #require(SVGInspector.parse(LinePlot(markers: false).svg([curve]).text))
        #expect(svg.count("polyline") == 2 && svg.count("circle") == 0)
    }

    @Test func writesAtomically() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latent-\(UInt64.random(in: 0...UInt64.max)).svg")
        defer { try? FileManager.default.removeItem(at: url) }
        try LinePlot().write([LinePlot.Series(name: "a", y: [1, 2])], to: url)
        #expect(SVGInspector.parse(try String(contentsOf: url, encoding: .utf8)) != nil)
    }
}
