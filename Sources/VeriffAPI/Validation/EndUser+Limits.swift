extension EndUser {
    /// The most UTF-8 bytes each text field may hold after normalisation, by Veriff's field name.
    ///
    /// Veriff documents only vendorData's limit (1,000 characters, see ``maxVendorDataLength``); the others are
    /// sized to what the field can hold in real life with room to spare, so a runaway value (a whole file in
    /// `fullAddress`) is refused locally instead of being sent. Fields with a fixed format (date, gender, document
    /// type and country, endUserId) get 64 bytes, so an ordinary mistake is reported by its format rule.
    /// docs/distribution.md lists them.
    public static let maxFieldBytes: [String: Int] = [
        "firstName": 256, "lastName": 256, "idNumber": 64, "dateOfBirth": 64, "gender": 64, "email": 254,
        "phoneNumber": 64, "documentNumber": 64, "documentType": 64, "documentCountry": 64, "fullAddress": 1024,
        // 1,000 UTF-16 code units are at most 3,000 UTF-8 bytes.
        "vendorData": 3000, "endUserId": 64, "callback": 2048,
    ]

    /// The most consents one end-user may carry.
    public static let maxConsents = 16
    /// The most UTF-8 bytes of one consent's `type`.
    public static let maxConsentTypeBytes = 64

    /// The text fields with their Veriff names, in column order (consents apart).
    var textFields: [(name: String, value: String?)] {
        [
            ("firstName", firstName), ("lastName", lastName), ("idNumber", idNumber), ("dateOfBirth", dateOfBirth),
            ("gender", gender), ("email", email), ("phoneNumber", phoneNumber), ("documentNumber", documentNumber),
            ("documentType", documentType), ("documentCountry", documentCountry), ("fullAddress", fullAddress),
            ("vendorData", vendorData), ("endUserId", endUserId), ("callback", callback),
        ]
    }

    /// The first control character in `value` other than tab, line feed and carriage return (U+0000–U+001F,
    /// U+007F–U+009F), if any. NUL cannot be stored by PostgreSQL at all; the others can rewrite a terminal, a log
    /// line or a spreadsheet cell.
    public static func forbiddenControlCharacter(in value: String) -> Unicode.Scalar? {
        // In UTF-8 these are the bytes 0x00–0x1F and 0x7F, and 0xC2 followed by 0x80–0x9F: scan the bytes (this
        // runs on every field of every row), then name the character.
        var copy = value
        let found = copy.withUTF8 { bytes in
            var previous: UInt8 = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte < 0x20 {
                    if byte != 0x09 && byte != 0x0A && byte != 0x0D { return true }
                } else if byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
                    return true
                }
                previous = byte
            }
            return false
        }
        guard found else { return nil }
        return value.unicodeScalars.first { scalar in
            scalar.properties.generalCategory == .control && scalar != "\t" && scalar != "\n" && scalar != "\r"
        }
    }

    /// Why `value` may not be used in a field that holds at most `limit` bytes, if it may not: too long, or a
    /// control character. Never quotes the value.
    static func textProblem(_ value: String, limit: Int?) -> String? {
        if let limit, value.utf8.count > limit {
            return "must be at most \(limit) bytes (UTF-8); got \(value.utf8.count)"
        }
        if let control = forbiddenControlCharacter(in: value) {
            return "must not contain control characters (only tab and line breaks are allowed); got \(control.codeName)"
        }
        return nil
    }
}

extension Unicode.Scalar {
    /// `U+0000`: how messages name a character that cannot be shown.
    var codeName: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
