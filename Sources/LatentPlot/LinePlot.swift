import Foundation

/// Line charts as SVG: training curves (loss against epoch for several runs) and accuracy
/// against shots (x = 1, 2, 4, 8 on a log₂ axis, error bars for 95 % confidence half-widths).
/// Each series gets a Tableau 10 colour, markers at its points and a legend row right of the
/// axes.
public struct LinePlot: Sendable {
    /// One named curve.
    public struct Series: Sendable {
        /// Legend name.
        public var name: String
        /// x values, ascending for a sensible line.
        public var x: [Double]
        /// y values, one per x.
        public var y: [Double]
        /// Optional error-bar half-widths, one per point (drawn from y − e to y + e).
        public var errors: [Double]?

        /// A series; `x`, `y` (and `errors` when given) must have the same length.
        public init(name: String, x: [Double], y: [Double], errors: [Double]? = nil) {
            precondition(x.count == y.count && (errors == nil || errors!.count == x.count),
                         "LinePlot.Series \"\(name)\": \(x.count) x, \(y.count) y, \(errors?.count ?? x.count) errors")
            self.name = name; self.x = x; self.y = y; self.errors = errors
        }

        /// A series whose x values are 1, 2, 3, … (epochs, iterations).
        public init(name: String, y: [Double]) {
            self.init(name: name, x: (1...max(y.count, 1)).prefix(y.count).map(Double.init), y: y)
        }
    }

    /// Title above the plot (none when nil).
    public var title: String?
    /// Horizontal axis label.
    public var xLabel: String
    /// Vertical axis label.
    public var yLabel: String
    /// Horizontal scale: `.linear`, or `.log2` for shots and other powers of two.
    public var xScale: AxisScale
    /// Fixed vertical range (e.g. `0...1` for accuracy); nil fits the data (with error bars) plus 5 %.
    public var yRange: ClosedRange<Double>?
    /// Draw a small circle at each point.
    public var markers: Bool
    /// Canvas width in pixels.
    public var width: Double
    /// Canvas height in pixels.
    public var height: Double

    /// A line-plot configuration; see the properties.
    public init(title: String? = nil, xLabel: String = "epoch", yLabel: String = "loss", xScale: AxisScale = .linear,
                yRange: ClosedRange<Double>? = nil, markers: Bool = true, width: Double = 720, height: Double = 480) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xScale = xScale
        self.yRange = yRange; self.markers = markers; self.width = width; self.height = height
    }

    /// The SVG of `series`. Non-finite points are skipped (the line breaks there); on a log₂
    /// axis x must be positive.
    /// - Complexity: O(total points).
    public func svg(_ series: [Series]) -> SVGDocument {
        precondition(!series.isEmpty, "LinePlot: need at least one series")
        var xs = [Double](), lows = [Double](), highs = [Double]()
        for s in series {
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                precondition(xScale == .linear || s.x[i] > 0, "LinePlot: x = \(s.x[i]) in \"\(s.name)\" on a log2 axis")
                xs.append(xScale.position(s.x[i]))
                let e = s.errors.map { $0[i].isFinite ? abs($0[i]) : 0 } ?? 0
                lows.append(s.y[i] - e); highs.append(s.y[i] + e)
            }
        }
        var (xLow, xHigh) = (xs.min() ?? 0, xs.max() ?? 1)
        let xPad = xHigh > xLow ? (xHigh - xLow) * (xScale == .log2 ? 0.08 : 0.03) : 0.5
        xLow -= xPad; xHigh += xPad
        var (yLow, yHigh) = (lows.min() ?? 0, highs.max() ?? 1)
        if let yRange { (yLow, yHigh) = (yRange.lowerBound, yRange.upperBound) } else {
            let pad = yHigh > yLow ? (yHigh - yLow) * 0.05 : max(abs(yLow), 1) * 0.5
            yLow -= pad; yHigh += pad
        }
        let frame = PlotFrame(width: width, height: height, title: title, legend: series.map(\.name),
                              x: (xLow, xHigh, xScale), y: (yLow, yHigh, .linear))
        var svg = SVGDocument(width: width, height: height)
        frame.drawAxes(&svg, title: title, xLabel: xLabel, yLabel: yLabel,
                       xTicks: PlotFrame.ticks(low: xLow, high: xHigh, scale: xScale),
                       yTicks: PlotFrame.ticks(low: yLow, high: yHigh, scale: .linear))
        let n = SVGDocument.number
        for (index, s) in series.enumerated() {
            let color = Palette.categorical(index).hexString
            svg.beginGroup(["class": "series", "stroke": color, "fill": color])
            // Polyline pieces between non-finite points.
            var piece = [String]()
            func flush() {
                if piece.count > 1 { svg.element("polyline", ["points": piece.joined(separator: " "), "fill": "none", "stroke-width": "2"]) }
                piece = []
            }
            for i in s.x.indices {
                guard s.x[i].isFinite && s.y[i].isFinite else { flush(); continue }
                piece.append("\(n(frame.px(s.x[i]))),\(n(frame.py(s.y[i])))")
            }
            flush()
            for i in s.x.indices where s.x[i].isFinite && s.y[i].isFinite {
                let px = frame.px(s.x[i]), py = frame.py(s.y[i])
                if let e = s.errors?[i], e.isFinite, e != 0 {
                    let y0 = frame.py(s.y[i] - abs(e)), y1 = frame.py(s.y[i] + abs(e))
                    svg.element("path", ["class": "error-bar", "fill": "none", "stroke-width": "1.5",
                                         "d": "M\(n(px)) \(n(y0))V\(n(y1))M\(n(px - 4)) \(n(y0))H\(n(px + 4))M\(n(px - 4)) \(n(y1))H\(n(px + 4))"])
                }
                if markers { svg.element("circle", ["cx": n(px), "cy": n(py), "r": "3"]) }
            }
            svg.endGroup()
        }
        frame.drawLegend(&svg, series.indices.map { LegendEntry(name: series[$0].name, color: Palette.categorical($0), isLine: true) })
        return svg
    }

    /// Writes `svg(series)` to `url` atomically.
    /// - Throws: `IOError.cannotWrite` when the file cannot be written.
    public func write(_ series: [Series], to url: URL) throws {
        try svg(series).write(to: url)
    }
}
