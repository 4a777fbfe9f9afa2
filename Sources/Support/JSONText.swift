/// Writes JSON strings without Foundation's encoder (one line per row, in a fixed key order).
public enum JSONText {
    /// `value` as a quoted JSON string, with quotes, backslashes and control characters escaped.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An object with the given keys in order; `nil` values are written as `null`.
    public static func object(_ pairs: [(String, String?)]) -> String {
        "{" + pairs.map { "\(quoted($0.0)):\($0.1.map(quoted) ?? "null")" }.joined(separator: ",") + "}"
    }
}
