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
        "CreatedSession(id: \(id), url: \(Self.redactedURL(url)), host: \(host ?? "-"), status: \(status ?? "-"), "
            + "sessionToken: " + (sessionToken == nil ? "nil" : "[REDACTED]") + ")"
    }
    public var debugDescription: String { description }

    /// Veriff's session URL embeds the session token (`https://alchemy.veriff.com/v/<token>`): keep only the origin.
    static func redactedURL(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "[REDACTED]" }
        let origin = url[..<schemeEnd.upperBound] + url[schemeEnd.upperBound...].prefix { $0 != "/" }
        return origin.count == url.count ? String(origin) : "\(origin)/[REDACTED]"
    }
}
