import Foundation

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

    /// Lower-case ASCII letters and digits, other runs turned into one dash, at most 40 characters. Other scripts
    /// and accented letters are transliterated first (ICU's `Any-Latin; Latin-ASCII`): `Jüri Õunapuu` becomes
    /// `juri-ounapuu`, `Иван Петров` `ivan-petrov`.
    static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in transliterated(text).lowercased().unicodeScalars {
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

    /// `text` in ASCII as far as ICU can take it: any script to Latin, then accents and ligatures to ASCII
    /// (`ß` → `ss`, `Ø` → `O`). Unchanged when the transform is not available.
    static func transliterated(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        // Only the first part can end up in the slug: keep ICU's work bounded.
        let head = String(text.prefix(80))
        return head.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? head
    }
}
