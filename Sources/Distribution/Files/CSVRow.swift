/// Formats CSV rows (RFC 4180: CRLF line ends; fields with commas, quotes or line breaks quoted, quotes doubled).
enum CSVRow {
    /// One row, ending in CRLF.
    /// - Parameter protectingFormulas: Prefix a single quote to cells a spreadsheet could run as a formula (see
    ///   ``isFormulaLike(_:)``), so it shows them as text instead (CSV injection).
    static func format(_ fields: [String?], protectingFormulas: Bool = false) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            guard var value = field else { continue }
            if protectingFormulas, Self.isFormulaLike(value) {
                value = "'" + value
            }
            if value.unicodeScalars.contains(where: { Self.needsQuotes.contains($0) }) {
                line += "\"" + value.replacingAll("\"", with: "\"\"") + "\""
            } else {
                line += value
            }
        }
        return line + "\r\n"
    }

    /// Whether a spreadsheet might take `value` as a formula (OWASP's CSV injection rules, widened): it begins with
    /// a tab, carriage return, line feed or NUL, or its first character after any leading whitespace and control
    /// characters is `=`, `+`, `-`, `@` or their full-width forms `＝`, `＋`, `－`, `＠` (spreadsheets skip leading
    /// spaces, and some read full-width signs as ASCII ones).
    static func isFormulaLike(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first else { return false }
        if Self.dangerousFirst.contains(first) { return true }
        let start = value.unicodeScalars.first { scalar in
            !(scalar.properties.isWhitespace || scalar.properties.generalCategory == .control)
        }
        return start.map(Self.formulaStarts.contains) ?? false
    }

    private static let dangerousFirst: Set<Unicode.Scalar> = ["\t", "\r", "\n", "\u{0}"]
    private static let formulaStarts: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]
    private static let needsQuotes: Set<Unicode.Scalar> = [",", "\"", "\n", "\r"]
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar == target { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
