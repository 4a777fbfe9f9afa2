/// What one POST /v1/sessions came to. Every possible answer (and non-answer) maps to exactly one case.
public enum SessionOutcome: Sendable, Hashable, CustomStringConvertible {
    /// 2xx with a usable body: the session exists.
    case created(CreatedSession)
    /// 400 or another 4xx about the data: the row is bad; Veriff's code and message are kept.
    case rejected(VeriffFailure)
    /// 429: the integration's cap is busy. `retryAfter` is the parsed `Retry-After`, clamped to
    /// `0...VeriffConfiguration.maximumRetryAfter`; `nil` when the header was absent or unreadable.
    case rateLimited(retryAfter: Duration?)
    /// Safe to retry: the request never reached Veriff (connect error), or Veriff said it failed (5xx, 408).
    case transient(String)
    /// Nothing will work this run (401, 403, 404, redirects): wrong key, integration or URL.
    case fatal(VeriffFailure)
    /// The request may have reached Veriff but no usable answer came (timeout or reset after sending, a 2xx
    /// whose body is not a session): a session may exist.
    case inDoubt(String)

    public var description: String {
        switch self {
        case .created(let session): "created \(session.id)"
        case .rejected(let failure): "rejected: \(failure)"
        case .rateLimited(let retryAfter): "rate limited (Retry-After: \(retryAfter.map { "\($0)" } ?? "none"))"
        case .transient(let reason): "transient: \(reason)"
        case .fatal(let failure): "fatal: \(failure)"
        case .inDoubt(let reason): "in doubt: \(reason)"
        }
    }
}
