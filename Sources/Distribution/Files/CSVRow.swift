/// Formats CSV rows (RFC 4180: CRLF line ends; fields with commas, quotes or line breaks quoted, quotes doubled).
enum CSVRow {
    /// One row, ending in CRLF.
    /// - Parameter protectingFormulas: Prefix a single quote to cells that begin with `=`, `+`, `-`, `@`, a tab or a
    ///   carriage return, so a spreadsheet shows them as text instead of running them as formulas (CSV injection).
    static func format(_ fields: [String?], protectingFormulas: Bool = false) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            guard var value = field else { continue }
            if protectingFormulas, let first = value.unicodeScalars.first, Self.formulaStarts.contains(first) {
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

    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
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
