/// The body of POST /v1/sessions: `{"verification": {...}}`.
///
/// Every field is optional; absent fields are omitted from the JSON, never sent as `null`
/// (synthesised `Encodable` uses `encodeIfPresent` for optionals).
public struct SessionRequest: Sendable, Hashable, Codable {
    public var verification: Verification

    public init(verification: Verification = Verification()) {
        self.verification = verification
    }

    /// The `verification` object.
    public struct Verification: Sendable, Hashable, Codable {
        /// Where the end-user is redirected when done; HTTPS only.
        public var callback: String?
        public var person: Person?
        public var document: Document?
        public var address: Address?
        /// Our own reference, echoed in every webhook; at most 1,000 characters.
        public var vendorData: String?
        /// A UUID identifying the end-user.
        public var endUserId: String?
        public var consents: [Consent]?

        public init(
            callback: String? = nil, person: Person? = nil, document: Document? = nil, address: Address? = nil,
            vendorData: String? = nil, endUserId: String? = nil, consents: [Consent]? = nil
        ) {
            self.callback = callback
            self.person = person
            self.document = document
            self.address = address
            self.vendorData = vendorData
            self.endUserId = endUserId
            self.consents = consents
        }
    }

    public struct Person: Sendable, Hashable, Codable {
        public var firstName: String?
        public var lastName: String?
        public var idNumber: String?
        /// `YYYY-MM-DD`.
        public var dateOfBirth: String?
        /// `M` or `F`.
        public var gender: String?
        public var email: String?
        public var phoneNumber: String?

        public init(
            firstName: String? = nil, lastName: String? = nil, idNumber: String? = nil, dateOfBirth: String? = nil,
            gender: String? = nil, email: String? = nil, phoneNumber: String? = nil
        ) {
            self.firstName = firstName
            self.lastName = lastName
            self.idNumber = idNumber
            self.dateOfBirth = dateOfBirth
            self.gender = gender
            self.email = email
            self.phoneNumber = phoneNumber
        }

        var isEmpty: Bool {
            [firstName, lastName, idNumber, dateOfBirth, gender, email, phoneNumber].allSatisfy { $0 == nil }
        }
    }

    public struct Document: Sendable, Hashable, Codable {
        /// Letters and digits only.
        public var number: String?
        /// One of ``DocumentType``'s raw values.
        public var type: String?
        /// ISO 3166-1 alpha-2, upper case.
        public var country: String?

        public init(number: String? = nil, type: String? = nil, country: String? = nil) {
            self.number = number
            self.type = type
            self.country = country
        }

        var isEmpty: Bool { number == nil && type == nil && country == nil }
    }

    public struct Address: Sendable, Hashable, Codable {
        public var fullAddress: String?

        public init(fullAddress: String? = nil) {
            self.fullAddress = fullAddress
        }
    }
}

/// A consent given by the end-user, e.g. `{"type": "ine", "approved": true}`.
public struct Consent: Sendable, Hashable, Codable {
    public var type: String
    public var approved: Bool

    public init(type: String, approved: Bool) {
        self.type = type
        self.approved = approved
    }
}

/// The document types Veriff documents for `verification.document.type`.
public enum DocumentType: String, Sendable, CaseIterable {
    case passport = "PASSPORT"
    case idCard = "ID_CARD"
    case residencePermit = "RESIDENCE_PERMIT"
    case driversLicense = "DRIVERS_LICENSE"
}
