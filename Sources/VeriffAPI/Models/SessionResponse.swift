/// The body of a 201 answer to POST /v1/sessions. Unknown fields are ignored (Veriff may add fields).
public struct SessionResponse: Sendable, Hashable, Decodable {
    public var status: String
    public var verification: CreatedSession

    public init(status: String = "success", verification: CreatedSession) {
        self.status = status
        self.verification = verification
    }
}

/// The session Veriff created: what the queue row records.
public struct CreatedSession: Sendable, Hashable, Codable {
    /// Veriff's session id, needed for webhooks and later look-ups.
    public var id: String
    /// What the end-user opens: the email link or the QR code.
    public var url: String
    public var vendorData: String?
    public var endUserId: String?
    public var host: String?
    /// `created` for a new session.
    public var status: String?
    /// The token for SDK flows. A secret: never logged (``CustomStringConvertible`` redacts it).
    public var sessionToken: String?

    public init(
        id: String, url: String, vendorData: String? = nil, endUserId: String? = nil, host: String? = nil,
        status: String? = nil, sessionToken: String? = nil
    ) {
        self.id = id
        self.url = url
        self.vendorData = vendorData
        self.endUserId = endUserId
        self.host = host
        self.status = status
        self.sessionToken = sessionToken
    }
}

extension CreatedSession: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "CreatedSession(id: \(id), url: \(url), host: \(host ?? "-"), status: \(status ?? "-"), sessionToken: "
            + (sessionToken == nil ? "nil" : "[REDACTED]") + ")"
    }
    public var debugDescription: String { description }
}
