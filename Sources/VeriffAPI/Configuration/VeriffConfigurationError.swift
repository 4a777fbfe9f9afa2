/// Why a ``VeriffConfiguration`` could not be built. Never contains the API key.
public struct VeriffConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missingAPIKey, apiKeyFileUnreadable, apiKeyFileEmpty, malformedURL, insecureURL, invalidCallback
        case invalidTimeout
    }

    private let code: Code
    /// What was wrong, for an operator: names the variable, flag or file.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Neither `VERIFF_API_KEY` nor `--api-key-file` was given.
    public static let missingAPIKey = VeriffConfigurationError(
        .missingAPIKey, "no Veriff API key: set VERIFF_API_KEY or pass --api-key-file PATH"
    )
    /// The key file could not be read.
    public static func apiKeyFileUnreadable(path: String, reason: String) -> Self {
        Self(.apiKeyFileUnreadable, "cannot read the API key file \(path): \(reason)")
    }
    /// The key file holds nothing but whitespace.
    public static func apiKeyFileEmpty(path: String) -> Self {
        Self(.apiKeyFileEmpty, "the API key file \(path) is empty")
    }
    /// The URL is not `http(s)://host[:port][/path]`.
    public static func malformedURL(_ name: String, _ value: String, reason: String) -> Self {
        Self(.malformedURL, "\(name) is not a valid URL (\(reason)): \(value)")
    }
    /// Plain `http://` to a host that is not loopback.
    public static func insecureURL(_ name: String, _ value: String) -> Self {
        Self(.insecureURL, "\(name) uses http:// to a non-loopback host; only https:// is allowed there: \(value)")
    }
    /// The default callback is not an https URL (Veriff would answer 1302 for every row).
    public static func invalidCallback(_ value: String) -> Self {
        Self(.invalidCallback, "VERIFF_CALLBACK_URL must be an https:// URL with a host: \(value)")
    }
    /// A timeout that is not a positive number of seconds.
    public static func invalidTimeout(_ value: String) -> Self {
        Self(.invalidTimeout, "the request timeout must be a positive number of seconds: \(value)")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
