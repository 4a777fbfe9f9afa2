/// One end-user as the queue stores them: the flat fields of POST /v1/sessions.
///
/// This is the shape shared by `enqueue` (CSV/JSONL in), the queue table (one column per field) and the run
/// (turned into a ``SessionRequest``). Empty strings are treated as absent by ``normalized()``.
public struct EndUser: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var idNumber: String?
    public var dateOfBirth: String?
    public var gender: String?
    public var email: String?
    public var phoneNumber: String?
    public var documentNumber: String?
    public var documentType: String?
    public var documentCountry: String?
    public var fullAddress: String?
    public var vendorData: String?
    public var endUserId: String?
    public var callback: String?
    public var consents: [Consent]?

    public init(
        firstName: String? = nil, lastName: String? = nil, idNumber: String? = nil, dateOfBirth: String? = nil,
        gender: String? = nil, email: String? = nil, phoneNumber: String? = nil, documentNumber: String? = nil,
        documentType: String? = nil, documentCountry: String? = nil, fullAddress: String? = nil,
        vendorData: String? = nil, endUserId: String? = nil, callback: String? = nil, consents: [Consent]? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.idNumber = idNumber
        self.dateOfBirth = dateOfBirth
        self.gender = gender
        self.email = email
        self.phoneNumber = phoneNumber
        self.documentNumber = documentNumber
        self.documentType = documentType
        self.documentCountry = documentCountry
        self.fullAddress = fullAddress
        self.vendorData = vendorData
        self.endUserId = endUserId
        self.callback = callback
        self.consents = consents
    }

    /// The field names as Veriff spells them (and as CSV headers and JSONL keys use them), in column order.
    public static let fieldNames: [String] = [
        "firstName", "lastName", "idNumber", "dateOfBirth", "gender", "email", "phoneNumber", "documentNumber",
        "documentType", "documentCountry", "fullAddress", "vendorData", "endUserId", "callback", "consents",
    ]

    /// Trims surrounding whitespace, turns empty strings into `nil`, and normalises the case of the fields
    /// whose case carries no meaning (document country and type, gender, endUserId).
    ///
    /// Normalisation never changes what a valid value means; validation runs on the result.
    public func normalized() -> EndUser {
        func clean(_ value: String?) -> String? {
            guard let trimmed = value?.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        var copy = self
        copy.firstName = clean(firstName)
        copy.lastName = clean(lastName)
        copy.idNumber = clean(idNumber)
        copy.dateOfBirth = clean(dateOfBirth)
        copy.gender = clean(gender)?.uppercased()
        copy.email = clean(email)
        copy.phoneNumber = clean(phoneNumber)
        copy.documentNumber = clean(documentNumber)
        copy.documentType = clean(documentType)?.uppercased()
        copy.documentCountry = clean(documentCountry)?.uppercased()
        copy.fullAddress = clean(fullAddress)
        // vendorData is the caller's opaque reference: only an empty value is dropped, nothing is trimmed.
        copy.vendorData = (vendorData?.isEmpty ?? true) ? nil : vendorData
        copy.endUserId = clean(endUserId)?.lowercased()
        copy.callback = clean(callback)
        return copy
    }

    /// The request body for this end-user.
    ///
    /// - Parameters:
    ///   - defaultCallback: The callback to use when the end-user has none (`VERIFF_CALLBACK_URL`).
    ///   - fallbackVendorData: The vendorData to send when the end-user has none (the row's own id), so every
    ///     session can be traced back to its row.
    /// - Returns: The body to POST; empty nested objects are left out.
    public func sessionRequest(defaultCallback: String? = nil, fallbackVendorData: String? = nil) -> SessionRequest {
        let person = SessionRequest.Person(
            firstName: firstName, lastName: lastName, idNumber: idNumber, dateOfBirth: dateOfBirth, gender: gender,
            email: email, phoneNumber: phoneNumber
        )
        let document = SessionRequest.Document(number: documentNumber, type: documentType, country: documentCountry)
        return SessionRequest(
            verification: .init(
                callback: callback ?? defaultCallback,
                person: person.isEmpty ? nil : person,
                document: document.isEmpty ? nil : document,
                address: fullAddress.map { SessionRequest.Address(fullAddress: $0) },
                vendorData: vendorData ?? fallbackVendorData,
                endUserId: endUserId,
                consents: consents
            )
        )
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines (Unicode-aware, no Foundation).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
