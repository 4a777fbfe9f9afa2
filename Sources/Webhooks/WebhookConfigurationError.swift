/// Why the webhook receiver's configuration could not be built. Never contains a secret.
public struct WebhookConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missingSharedSecret, sharedSecretFileUnreadable, sharedSecretFileEmpty, badListenAddress, badPath
    }

    private let code: Code
    /// What was wrong, for an operator: names the variable, flag or file.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Neither `VERIFF_SHARED_SECRET` nor `--shared-secret-file` was given.
    public static let missingSharedSecret = WebhookConfigurationError(
        .missingSharedSecret, "no shared secret: set VERIFF_SHARED_SECRET or pass --shared-secret-file PATH"
    )
    /// The secret file could not be read.
    public static func sharedSecretFileUnreadable(path: String, reason: String) -> Self {
        Self(.sharedSecretFileUnreadable, "cannot read the shared secret file \(path): \(reason)")
    }
    /// The secret file holds nothing but whitespace.
    public static func sharedSecretFileEmpty(path: String) -> Self {
        Self(.sharedSecretFileEmpty, "the shared secret file \(path) is empty")
    }
    /// `--listen` is not `HOST:PORT`.
    public static func badListenAddress(_ value: String) -> Self {
        Self(.badListenAddress, "--listen must be HOST:PORT (e.g. 127.0.0.1:8088 or [::1]:8088), got \(value)")
    }
    /// A path flag that does not start with `/`, or two paths that are the same.
    public static func badPath(_ message: String) -> Self { Self(.badPath, message) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
