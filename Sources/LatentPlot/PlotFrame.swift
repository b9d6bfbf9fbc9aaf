import Foundation

/// How data values map along an axis.
public enum AxisScale: String, Sendable, Codable, CaseIterable {
    /// Equal distances for equal differences; ticks at 1, 2, 5 × 10ᵏ steps.
    case linear
    /// Equal distances for equal ratios, ticks at powers of two (for shots 1, 2, 4, 8, batch
    /// sizes, …). Values must be positive.
    case log2

    /// The position of `value` along the axis before scaling to pixels.
    func position(_ value: Double) -> Double { self == .linear ? value : Foundation.log2(value) }
}

/// One legend row: a colour and a name, drawn as a filled square or a line with a marker.
struct LegendEntry {
    var name: String
    var color: Color
    var isLine: Bool
}

/// The plotting area of a chart: data-to-pixel mapping, frame, grid, ticks, labels, title and a
/// legend to the right of the frame (outside it, so it never covers data).
struct PlotFrame {
    let width: Double, height: Double
    let left: Double, top: Double, right: Double, bottom: Double   // plot area edges in pixels
    let x: (low: Double, high: Double, scale: AxisScale)           // in axis positions
    let y: (low: Double, high: Double, scale: AxisScale)

    static let fontSize = 12.0
    /// Rough advance of a character at `size` in a sans-serif font, for layout.
    static func textWidth(_ s: String, size: Double = fontSize) -> Double { Double(s.count) * size * 0.6 }

    /// A frame for a `width × height` canvas whose legend holds `legend` names.
    init(width: Double, height: Double, title: String?, legend: [String],
         x: (low: Double, high: Double, scale: AxisScale), y: (low: Double, high: Double, scale: AxisScale)) {
        self.width = width; self.height = height; self.x = x; self.y = y
        let legendWidth = legend.isEmpty ? 0 : 40 + (legend.map { PlotFrame.textWidth($0) }.max() ?? 0)
        left = 72; top = title == nil ? 20 : 44
        right = width - 20 - legendWidth; bottom = height - 56
        precondition(right - left > 40 && bottom - top > 40,
                     "Plot: canvas \(width)×\(height) is too small for the axes and legend")
    }

    /// Horizontal pixel of data value `v`.
    func px(_ v: Double) -> Double { left + (x.scale.position(v) - x.low) / (x.high - x.low) * (right - left) }
    /// Vertical pixel of data value `v` (up is larger).
    func py(_ v: Double) -> Double { bottom - (y.scale.position(v) - y.low) / (y.high - y.low) * (bottom - top) }

    /// Ticks (data values) inside the axis range: powers of two or nice linear steps.
    static func ticks(low: Double, high: Double, scale: AxisScale, target: Int = 6) -> (values: [Double], step: Double) {
        switch scale {
        case .log2:
            let values = Ticks.log2(low: pow(2, low), high: pow(2, high)).filter {
                let p = Foundation.log2($0); return p >= low - 1e-9 && p <= high + 1e-9
            }
            return (values, values.min() ?? 1)
        case .linear:
            let values = Ticks.linear(low: low, high: high, target: target)
            let step = values.count > 1 ? values[1] - values[0] : 1
            return (values.filter { $0 >= low - 1e-9 * step && $0 <= high + 1e-9 * step }, step)
        }
    }

    /// Grid lines, frame, ticks with labels, axis labels and title.
    func drawAxes(_ svg: inout SVGDocument, title: String?, xLabel: String, yLabel: String,
                  xTicks: (values: [Double], step: Double), yTicks: (values: [Double], step: Double)) {
        let n = SVGDocument.number
        svg.beginGroup(["stroke": "#e6e6e6", "stroke-width": "1"])
        for t in xTicks.values { svg.element("line", ["x1": n(px(t)), "y1": n(top), "x2": n(px(t)), "y2": n(bottom)]) }
        for t in yTicks.values { svg.element("line", ["x1": n(left), "y1": n(py(t)), "x2": n(right), "y2": n(py(t))]) }
        svg.endGroup()
        svg.element("rect", ["x": n(left), "y": n(top), "width": n(right - left), "height": n(bottom - top),
                             "fill": "none", "stroke": "#333333", "stroke-width": "1"])
        svg.beginGroup(["class": "x-ticks", "font-size": n(PlotFrame.fontSize - 1), "text-anchor": "middle", "fill": "#333333"])
        for t in xTicks.values {
            svg.element("line", ["x1": n(px(t)), "y1": n(bottom), "x2": n(px(t)), "y2": n(bottom + 5), "stroke": "#333333"])
            svg.element("text", ["x": n(px(t)), "y": n(bottom + 18)], text: label(t, step: xTicks.step, scale: x.scale))
        }
        svg.endGroup()
        svg.beginGroup(["class": "y-ticks", "font-size": n(PlotFrame.fontSize - 1), "text-anchor": "end", "fill": "#333333"])
        for t in yTicks.values {
            svg.element("line", ["x1": n(left - 5), "y1": n(py(t)), "x2": n(left), "y2": n(py(t)), "stroke": "#333333"])
            svg.element("text", ["x": n(left - 8), "y": n(py(t) + 4)], text: label(t, step: yTicks.step, scale: y.scale))
        }
        svg.endGroup()
        let midX = (left + right) / 2, midY = (top + bottom) / 2
        svg.element("text", ["x": n(midX), "y": n(bottom + 42), "text-anchor": "middle", "font-size": n(PlotFrame.fontSize + 1)], text: xLabel)
        svg.element("text", ["x": n(20), "y": n(midY), "text-anchor": "middle", "font-size": n(PlotFrame.fontSize + 1),
                             "transform": "rotate(-90 20 \(n(midY)))"], text: yLabel)
        if let title {
            svg.element("text", ["x": n(width / 2), "y": "26", "text-anchor": "middle", "font-size": "16", "font-weight": "bold"], text: title)
        }
    }

    /// A tick label: nice decimals on linear axes, plain numbers for powers of two.
    func label(_ v: Double, step: Double, scale: AxisScale) -> String {
        if scale == .log2 { return v >= 1 ? String(Int(v.rounded())) : String(format: "%g", v) }
        return Ticks.label(v, step: step)
    }

    /// The legend right of the frame, one row per entry, top-aligned with the frame.
    func drawLegend(_ svg: inout SVGDocument, _ entries: [LegendEntry]) {
        guard !entries.isEmpty else { return }
        let n = SVGDocument.number
        let x0 = right + 16
        svg.beginGroup(["class": "legend", "font-size": n(PlotFrame.fontSize)])
        for (i, e) in entries.enumerated() {
            let y = top + 8 + Double(i) * 20
            svg.beginGroup(["class": "legend-entry"])
            if e.isLine {
                svg.element("line", ["x1": n(x0), "y1": n(y), "x2": n(x0 + 18), "y2": n(y), "stroke": e.color.hexString, "stroke-width": "2"])
                svg.element("rect", ["x": n(x0 + 6), "y": n(y - 3), "width": "6", "height": "6", "fill": e.color.hexString])
            } else {
                svg.element("rect", ["x": n(x0 + 3), "y": n(y - 6), "width": "12", "height": "12", "fill": e.color.hexString])
            }
            svg.element("text", ["x": n(x0 + 24), "y": n(y + 4)], text: e.name)
            svg.endGroup()
        }
        svg.endGroup()
    }
}
