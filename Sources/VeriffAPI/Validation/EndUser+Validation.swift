import Support

extension EndUser {
    /// The most UTF-16 code units Veriff accepts in `vendorData` (the strictest way to count 1,000 characters).
    public static let maxVendorDataLength = 1000

    /// Checks every documented rule of POST /v1/sessions locally, so a bad row costs no request.
    ///
    /// Call it on a ``normalized()`` value: case and surrounding whitespace are not errors.
    /// - Returns: Every violation found, in field order; empty when the end-user can be sent.
    public func violations() -> [FieldViolation] {
        var found: [FieldViolation] = []
        func fail(_ field: String, _ problem: String) { found.append(FieldViolation(field: field, problem: problem)) }

        // Length and control characters first: a field that breaks them is not checked further (its value is
        // never quoted in a message).
        var broken: Set<String> = []
        for (name, value) in textFields {
            guard let value, let problem = Self.textProblem(value, limit: Self.maxFieldBytes[name]) else { continue }
            broken.insert(name)
            fail(name, problem)
        }
        func usable(_ name: String, _ value: String?) -> String? { broken.contains(name) ? nil : value }

        if let dateOfBirth = usable("dateOfBirth", dateOfBirth), !Self.isRealDate(dateOfBirth) {
            fail("dateOfBirth", "must be a real date written YYYY-MM-DD, not in the future; got \(quoted(dateOfBirth))")
        }
        if let gender = usable("gender", gender), gender != "M" && gender != "F" {
            fail("gender", "must be M or F; got \(quoted(gender))")
        }
        if let email = usable("email", email), !Self.isPlausibleEmail(email) {
            fail("email", "must look like name@domain; got \(quoted(email))")
        }
        if let documentNumber = usable("documentNumber", documentNumber),
            !documentNumber.allSatisfy({ $0.isLetter || $0.isNumber })
        {
            fail("documentNumber", "must contain letters and digits only; got \(quoted(documentNumber))")
        }
        if let documentType = usable("documentType", documentType), DocumentType(rawValue: documentType) == nil {
            let allowed = DocumentType.allCases.map(\.rawValue).joined(separator: ", ")
            fail("documentType", "must be one of \(allowed); got \(quoted(documentType))")
        }
        if let documentCountry = usable("documentCountry", documentCountry),
            !(documentCountry.utf8.count == 2 && documentCountry.utf8.allSatisfy(Self.isUpperASCII))
        {
            fail(
                "documentCountry",
                "must be a two-letter ISO 3166-1 alpha-2 code such as EE; got \(quoted(documentCountry))")
        }
        if let vendorData = usable("vendorData", vendorData), vendorData.utf16.count > Self.maxVendorDataLength {
            fail("vendorData", "must be at most \(Self.maxVendorDataLength) characters; got \(vendorData.utf16.count)")
        }
        if let endUserId = usable("endUserId", endUserId), !Self.isUUID(endUserId) {
            fail("endUserId", "must be a UUID (use vendorData for other ids); got \(quoted(endUserId))")
        }
        if let callback = usable("callback", callback), !Self.isHTTPSURL(callback) {
            fail("callback", "must be an https:// URL with a host; got \(quoted(callback))")
        }
        if let consents {
            if consents.count > Self.maxConsents {
                fail("consents", "must have at most \(Self.maxConsents) entries; got \(consents.count)")
            }
            for (index, consent) in consents.prefix(Self.maxConsents).enumerated() {
                if let problem = Self.textProblem(consent.type, limit: Self.maxConsentTypeBytes) {
                    fail("consents", "entry \(index + 1): \"type\" \(problem)")
                } else if consent.type.trimmingWhitespace().isEmpty {
                    fail("consents", "entry \(index + 1) needs a non-empty \"type\"")
                }
            }
        }
        return found
    }

    // MARK: - Rules

    static func isUpperASCII(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

    static func isHexASCII(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// `8-4-4-4-12` hexadecimal digits.
    public static func isUUID(_ value: String) -> Bool {
        let groups = value.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(isHexASCII) }
    }

    /// A `YYYY-MM-DD` date that exists in the Gregorian calendar, from 1900 up to today (UTC).
    public static func isRealDate(_ value: String, today: CivilDate? = nil) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        let date = CivilDate(year: year, month: month, day: day)
        guard year >= 1900, date.isValid else { return false }
        return date <= today ?? CivilDate.today()
    }

    /// One `@` with something on both sides, a dot in the domain, and no whitespace.
    static func isPlausibleEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return !value.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// `https://host[:port][/...]` with a non-empty host and no whitespace.
    static func isHTTPSURL(_ value: String) -> Bool {
        guard value.lowercased().hasPrefix("https://") else { return false }
        let rest = value.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host =
            authority.split(separator: "@").last.map {
                $0.split(separator: ":", omittingEmptySubsequences: false).first ?? ""
            } ?? ""
        return !host.isEmpty && !value.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    private func quoted(_ value: String) -> String {
        let shown = value.count > 60 ? String(value.prefix(57)) + "..." : value
        return "\"\(shown)\""
    }
}
