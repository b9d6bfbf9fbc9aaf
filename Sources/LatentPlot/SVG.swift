import Foundation
import LatentIO

/// A small SVG 1.1 document builder: elements are appended as text, attribute values and text
/// content are XML-escaped, numbers are written with at most one decimal (0.1 px is finer than
/// any screen), which keeps a 10 000-point scatter plot near half a megabyte.
public struct SVGDocument: Sendable {
    /// Canvas width in user units (pixels).
    public let width: Double
    /// Canvas height in user units (pixels).
    public let height: Double
    /// The body elements appended so far, one per line.
    public private(set) var body: [String] = []

    /// An empty canvas of the given size.
    public init(width: Double, height: Double) {
        precondition(width > 0 && height > 0, "SVGDocument: size must be positive, got \(width)×\(height)")
        self.width = width; self.height = height
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by XML entities, and control characters
    /// other than tab and newline (not allowed in XML 1.0) dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `value` rounded to one decimal, without a trailing `.0` (`12.34` → `12.3`, `5.0` → `5`).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : "", a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// Appends `<name attributes…/>` (or with `text` content), escaping values and text.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil) {
        var s = "<\(name)"
        for (k, v) in attributes { s += " \(k)=\"\(SVGDocument.escape(v))\"" }
        if let text { s += ">\(SVGDocument.escape(text))</\(name)>" } else { s += "/>" }
        body.append(s)
    }

    /// Appends raw, already well-formed markup (used for compact runs of circles).
    public mutating func raw(_ markup: String) { body.append(markup) }

    /// Opens a group `<g …>`; close it with `endGroup()`.
    public mutating func beginGroup(_ attributes: KeyValuePairs<String, String>) {
        var s = "<g"
        for (k, v) in attributes { s += " \(k)=\"\(SVGDocument.escape(v))\"" }
        body.append(s + ">")
    }

    /// Closes the innermost open group.
    public mutating func endGroup() { body.append("</g>") }

    /// The complete document: XML declaration, `<svg>` root with `viewBox`, a white background.
    public var text: String {
        let w = SVGDocument.number(width), h = SVGDocument.number(height)
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        for line in body { s += line; s += "\n" }
        return s + "</svg>\n"
    }

    /// Writes the document as UTF-8 to `url`, atomically (through `AtomicFile`).
    /// - Throws: `IOError.cannotWrite` when the file cannot be written.
    public func write(to url: URL) throws {
        try AtomicFile.write(Data(text.utf8), to: url)
    }
}
