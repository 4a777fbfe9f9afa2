/// Escapes text for HTML element content and quoted attribute values: the QR sheet's and the dashboard's one
/// escaping rule.
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by their character references.
    public static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
