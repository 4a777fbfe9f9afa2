/// Safe, unique file names for QR images: the row id (unique, so no two rows collide) and a slug of ASCII letters,
/// digits and dashes from the name or vendorData (so nothing in the row can name a path, hide a file or escape DIR).
enum QRFileName {
    /// E.g. `000042-jane-doe.svg`.
    static func make(id: Int64, label: String?, extension ext: String) -> String {
        let digits = String(id)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        let slug = self.slug(label ?? "")
        return slug.isEmpty ? "\(padded).\(ext)" : "\(padded)-\(slug).\(ext)"
    }

    /// Lower-case ASCII letters and digits, other runs turned into one dash, at most 40 characters.
    static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
                if out.count >= 40 { break }
            } else {
                pendingDash = true
            }
        }
        return out
    }
}
