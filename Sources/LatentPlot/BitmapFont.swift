/// A built-in 5 × 7 pixel bitmap font for printable ASCII (32…126), drawn for Latent, so PNG
/// figures can carry captions without a font library.
///
/// Each glyph is 5 pixels wide and 8 rows tall: rows 0…6 hold capitals, digits and the
/// x-height letters (baseline under row 6), and row 7 holds descenders (g, j, p, q, y, comma).
/// Characters advance 6 pixels (one blank column), lines 10 pixels. Characters outside ASCII
/// are drawn as `?`, except dashes (– —) which become `-`.
public enum BitmapFont {
    /// Glyph width in pixels (before scaling).
    public static let glyphWidth = 5
    /// Glyph height in pixels including the descender row (before scaling).
    public static let glyphHeight = 8
    /// Horizontal distance between the starts of consecutive characters.
    public static let advance = 6
    /// Vertical distance between the tops of consecutive lines.
    public static let lineHeight = 10

    /// Rows of each glyph, `#` ink and `.` paper, top to bottom; 7 rows mean an empty descender.
    private static let table: [Character: String] = [
        " ": "..... ..... ..... ..... ..... ..... .....",
        "!": "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",
        "\"": ".#.#. .#.#. ..... ..... ..... ..... .....",
        "#": ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",
        "$": "..#.. .#### #.#.. .###. ..#.# ####. ..#..",
        "%": "##... ##..# ...#. ..#.. .#... #..## ...##",
        "&": ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
        "'": "..#.. ..#.. .#... ..... ..... ..... .....",
        "(": "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        ")": ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        "*": "..... ..#.. #.#.# .###. #.#.# ..#.. .....",
        "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        ",": "..... ..... ..... ..... ..... .##.. ..#.. .#...",
        "-": "..... ..... ..... ##### ..... ..... .....",
        ".": "..... ..... ..... ..... ..... .##.. .##..",
        "/": "..... ....# ...#. ..#.. .#... #.... .....",
        "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
        "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        "2": ".###. #...# ....# ...#. ..#.. .#... #####",
        "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
        "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        "5": "##### #.... ####. ....# ....# #...# .###.",
        "6": "..##. .#... #.... ####. #...# #...# .###.",
        "7": "##### ....# ...#. ..#.. .#... .#... .#...",
        "8": ".###. #...# #...# .###. #...# #...# .###.",
        "9": ".###. #...# #...# .#### ....# ...#. .##..",
        ":": "..... .##.. .##.. ..... .##.. .##.. .....",
        ";": "..... .##.. .##.. ..... .##.. ..#.. .#...",
        "<": "...#. ..#.. .#... #.... .#... ..#.. ...#.",
        "=": "..... ..... ##### ..... ##### ..... .....",
        ">": ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
        "?": ".###. #...# ....# ...#. ..#.. ..... ..#..",
        "@": ".###. #...# ....# .##.# #.#.# #.#.# .###.",
        "A": ".###. #...# #...# ##### #...# #...# #...#",
        "B": "####. #...# #...# ####. #...# #...# ####.",
        "C": ".###. #...# #.... #.... #.... #...# .###.",
        "D": "###.. #..#. #...# #...# #...# #..#. ###..",
        "E": "##### #.... #.... ####. #.... #.... #####",
        "F": "##### #.... #.... ####. #.... #.... #....",
        "G": ".###. #...# #.... #.### #...# #...# .####",
        "H": "#...# #...# #...# ##### #...# #...# #...#",
        "I": ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        "J": "..### ...#. ...#. ...#. ...#. #..#. .##..",
        "K": "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        "L": "#.... #.... #.... #.... #.... #.... #####",
        "M": "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        "N": "#...# #...# ##..# #.#.# #..## #...# #...#",
        "O": ".###. #...# #...# #...# #...# #...# .###.",
        "P": "####. #...# #...# ####. #.... #.... #....",
        "Q": ".###. #...# #...# #...# #.#.# #..#. .##.#",
        "R": "####. #...# #...# ####. #.#.. #..#. #...#",
        "S": ".#### #.... #.... .###. ....# ....# ####.",
        "T": "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        "U": "#...# #...# #...# #...# #...# #...# .###.",
        "V": "#...# #...# #...# #...# #...# .#.#. ..#..",
        "W": "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        "X": "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        "Y": "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
        "Z": "##### ....# ...#. ..#.. .#... #.... #####",
        "[": ".###. .#... .#... .#... .#... .#... .###.",
        "\\": "..... #.... .#... ..#.. ...#. ....# .....",
        "]": ".###. ...#. ...#. ...#. ...#. ...#. .###.",
        "^": "..#.. .#.#. #...# ..... ..... ..... .....",
        "_": "..... ..... ..... ..... ..... ..... #####",
        "`": ".#... ..#.. ..... ..... ..... ..... .....",
        "a": "..... ..... .###. ....# .#### #...# .####",
        "b": "#.... #.... #.##. ##..# #...# #...# ####.",
        "c": "..... ..... .###. #.... #.... #...# .###.",
        "d": "....# ....# .##.# #..## #...# #...# .####",
        "e": "..... ..... .###. #...# ##### #.... .###.",
        "f": "..##. .#..# .#... ###.. .#... .#... .#...",
        "g": "..... ..... .#### #...# #...# .#### ....# .###.",
        "h": "#.... #.... #.##. ##..# #...# #...# #...#",
        "i": "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",
        "j": "...#. ..... ..##. ...#. ...#. ...#. #..#. .##..",
        "k": "#.... #.... #..#. #.#.. ##... #.#.. #..#.",
        "l": ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        "m": "..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#",
        "n": "..... ..... #.##. ##..# #...# #...# #...#",
        "o": "..... ..... .###. #...# #...# #...# .###.",
        "p": "..... ..... ####. #...# #...# ####. #.... #....",
        "q": "..... ..... .#### #...# #...# .#### ....# ....#",
        "r": "..... ..... #.##. ##..# #.... #.... #....",
        "s": "..... ..... .#### #.... .###. ....# ####.",
        "t": ".#... .#... ###.. .#... .#... .#..# ..##.",
        "u": "..... ..... #...# #...# #...# #..## .##.#",
        "v": "..... ..... #...# #...# #...# .#.#. ..#..",
        "w": "..... ..... #...# #...# #.#.# #.#.# .#.#.",
        "x": "..... ..... #...# .#.#. ..#.. .#.#. #...#",
        "y": "..... ..... #...# #...# #...# .#### ....# .###.",
        "z": "..... ..... ##### ...#. ..#.. .#... #####",
        "{": "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.",
        "|": "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        "}": ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#...",
        "~": "..... ..... .#... #.#.# ...#. ..... .....",
    ]

    /// The 95 glyphs as row bit masks (bit 4 = leftmost column), indexed by `ASCII code − 32`.
    private static let masks: [[UInt8]] = (32...126).map { code in
        let rows = table[Character(Unicode.Scalar(UInt8(code)))]!.split(separator: " ")
        var mask = rows.map { row in row.reduce(UInt8(0)) { $0 << 1 | ($1 == "#" ? 1 : 0) } }
        while mask.count < glyphHeight { mask.append(0) }
        return mask
    }

    /// The glyph of `character` as `glyphHeight` row masks (bit 4 is the leftmost column).
    /// - Complexity: O(1).
    public static func glyph(_ character: Character) -> [UInt8] {
        masks[Int(code(of: character)) - 32]
    }

    /// The ASCII code drawn for `character` (`?` for anything unprintable, `-` for dashes).
    static func code(of character: Character) -> UInt8 {
        if let a = character.asciiValue, (32...126).contains(a) { return a }
        if character == "–" || character == "—" || character == "−" { return UInt8(ascii: "-") }
        return UInt8(ascii: "?")
    }

    /// The width in pixels of the longest line of `text` drawn at `scale` (no trailing gap).
    public static func width(of text: String, scale: Int = 1) -> Int {
        let longest = text.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
        return longest == 0 ? 0 : (longest * advance - 1) * scale
    }

    /// The height in pixels of `text` drawn at `scale`, counting the descender row of the last line.
    public static func height(of text: String, scale: Int = 1) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return ((lines - 1) * lineHeight + glyphHeight) * scale
    }
}

extension Image {
    /// Draws `text` with `BitmapFont`, top-left corner of the first glyph at (`x`, `y`), each
    /// font pixel a `scale × scale` block; `\n` starts a new line. Clipped to the image.
    /// - Complexity: O(characters · 40 · scale²).
    public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1) {
        precondition(scale >= 1, "drawText: scale must be at least 1, got \(scale)")
        var penX = x, penY = y
        for character in text {
            if character == "\n" { penX = x; penY += BitmapFont.lineHeight * scale; continue }
            let rows = BitmapFont.glyph(character)
            for (r, mask) in rows.enumerated() where mask != 0 {
                for c in 0..<BitmapFont.glyphWidth where mask & (0x10 >> UInt8(c)) != 0 {
                    fillRect(x: penX + c * scale, y: penY + r * scale, width: scale, height: scale, color: color)
                }
            }
            penX += BitmapFont.advance * scale
        }
    }

    /// Draws `text` centred horizontally on `centerX`, top at `y`; see `drawText(_:x:y:color:scale:)`.
    public mutating func drawText(_ text: String, centeredAt centerX: Int, y: Int, color: Color, scale: Int = 1) {
        drawText(text, x: centerX - BitmapFont.width(of: text, scale: scale) / 2, y: y, color: color, scale: scale)
    }
}
