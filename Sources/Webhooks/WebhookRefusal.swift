/// Why a request to a webhook path was refused before anything was recorded. A closed set: each is one label of
/// the refusal counter and one key of the rate-limited refusal log.
public enum WebhookRefusal: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No `X-AUTH-CLIENT` header: answered 401 as soon as the headers arrived, the body never read.
    case noClient = "no X-AUTH-CLIENT"
    /// `X-AUTH-CLIENT` is not the API key: answered 401 as soon as the headers arrived, the body never read.
    case wrongClient = "wrong X-AUTH-CLIENT"
    /// No `X-HMAC-SIGNATURE` header: 401.
    case noSignature = "no X-HMAC-SIGNATURE"
    /// `X-HMAC-SIGNATURE` is not the HMAC of the body received: 401.
    case badSignature = "bad X-HMAC-SIGNATURE"
    /// The body is (or announced to be) larger than the limit: 413.
    case bodyTooLarge = "body too large"

    public var description: String { rawValue }

    /// A short name for metric labels: `no_client`, `wrong_client`, ...
    public var label: String {
        switch self {
        case .noClient: "no_client"
        case .wrongClient: "wrong_client"
        case .noSignature: "no_signature"
        case .badSignature: "bad_signature"
        case .bodyTooLarge: "body_too_large"
        }
    }
}
