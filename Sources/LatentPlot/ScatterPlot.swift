import Foundation
import LatentCore

/// A scatter plot of a 2-D embedding (PCA, t-SNE, …) as SVG, points coloured by class with
/// Tableau 10 and a legend to the right of the axes.
///
/// Points of a class share one `<g>` group with its fill and opacity, and each point is a bare
/// `<circle>` with coordinates rounded to 0.1 px, so 10 000 points take about 400 KB. Classes
/// are drawn in ascending label order (later classes on top).
public struct ScatterPlot: Sendable {
    /// Title above the plot (none when nil).
    public var title: String?
    /// Horizontal axis label.
    public var xLabel: String
    /// Vertical axis label.
    public var yLabel: String
    /// Names of the classes, indexed by label; labels without a name are shown as numbers.
    public var classNames: [String]?
    /// Canvas width in pixels.
    public var width: Double
    /// Canvas height in pixels.
    public var height: Double
    /// Circle radius in pixels.
    public var pointRadius: Double
    /// Fill opacity of the points, in (0, 1].
    public var opacity: Double

    /// A scatter-plot configuration; see the properties.
    public init(title: String? = nil, xLabel: String = "component 1", yLabel: String = "component 2",
                classNames: [String]? = nil, width: Double = 760, height: Double = 560,
                pointRadius: Double = 1.6, opacity: Double = 0.7) {
        precondition(pointRadius > 0 && opacity > 0 && opacity <= 1,
                     "ScatterPlot: need pointRadius > 0 and opacity in (0, 1], got \(pointRadius), \(opacity)")
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.classNames = classNames
        self.width = width; self.height = height; self.pointRadius = pointRadius; self.opacity = opacity
    }

    /// The SVG of the first two columns of `points` (`n × d`, d ≥ 2), coloured by `labels` (n
    /// class indices; nil draws every point in the first palette colour without a legend). Rows
    /// with a non-finite coordinate are left out. The axes span the finite data plus 4 %.
    /// `pointNames` (n strings, e.g. words) are written in small grey text beside their points.
    /// - Complexity: O(n).
    public func svg<S: BLASScalar>(_ points: Matrix<S>, labels: [Int]? = nil, pointNames: [String]? = nil) -> SVGDocument {
        precondition(points.columns >= 2, "ScatterPlot: points must have at least 2 columns, got \(points.shapeDescription)")
        precondition(labels == nil || labels!.count == points.rows,
                     "ScatterPlot: \(labels!.count) labels for \(points.rows) points")
        precondition(pointNames == nil || pointNames!.count == points.rows,
                     "ScatterPlot: \(pointNames!.count) point names for \(points.rows) points")
        var xs = [Double](), ys = [Double](), keep = [Int]()
        for i in 0..<points.rows {
            let x = Double(points[i, 0]), y = Double(points[i, 1])
            if x.isFinite && y.isFinite { xs.append(x); ys.append(y); keep.append(i) }
        }
        func padded(_ v: [Double]) -> (Double, Double) {
            guard let lo = v.min(), let hi = v.max() else { return (0, 1) }
            let pad = hi > lo ? (hi - lo) * 0.04 : max(abs(lo), 1) * 0.5
            return (lo - pad, hi + pad)
        }
        let (xLow, xHigh) = padded(xs), (yLow, yHigh) = padded(ys)
        let classes = Array(Set(labels ?? [0])).sorted()
        let names = classes.map { c in classNames.flatMap { c >= 0 && c < $0.count ? $0[c] : nil } ?? "\(c)" }
        let frame = PlotFrame(width: width, height: height, title: title, legend: labels == nil ? [] : names,
                              x: (xLow, xHigh, .linear), y: (yLow, yHigh, .linear))
        var svg = SVGDocument(width: width, height: height)
        frame.drawAxes(&svg, title: title, xLabel: xLabel, yLabel: yLabel,
                       xTicks: PlotFrame.ticks(low: xLow, high: xHigh, scale: .linear),
                       yTicks: PlotFrame.ticks(low: yLow, high: yHigh, scale: .linear))
        let n = SVGDocument.number, r = n(pointRadius)
        for (index, c) in classes.enumerated() {
            svg.beginGroup(["class": "points", "fill": Palette.categorical(index).hexString, "fill-opacity": n(opacity)])
            var run = ""
            for (k, i) in keep.enumerated() where (labels?[i] ?? 0) == c {
                run += "<circle cx=\"\(n(frame.px(xs[k])))\" cy=\"\(n(frame.py(ys[k])))\" r=\"\(r)\"/>"
                if run.utf8.count > 4000 { svg.raw(run); run = "" }
            }
            if !run.isEmpty { svg.raw(run) }
            svg.endGroup()
        }
        if let pointNames {
            svg.beginGroup(["class": "point-names", "font-size": "8", "fill": "#333333"])
            for (k, i) in keep.enumerated() {
                svg.element("text", ["x": n(frame.px(xs[k]) + pointRadius + 1), "y": n(frame.py(ys[k]) + 3)], text: pointNames[i])
            }
            svg.endGroup()
        }
        if labels != nil {
            frame.drawLegend(&svg, zip(names, classes.indices).map { LegendEntry(name: $0, color: Palette.categorical($1), isLine: false) })
        }
        return svg
    }

    /// Writes `svg(points, labels:)` to `url` atomically.
    /// - Throws: `IOError.cannotWrite` when the file cannot be written.
    public func write<S: BLASScalar>(_ points: Matrix<S>, labels: [Int]? = nil, pointNames: [String]? = nil, to url: URL) throws {
        try svg(points, labels: labels, pointNames: pointNames).write(to: url)
    }
}
