import Foundation

/// The integration's shared secret, which signs webhooks. Its `description` is redacted.
public struct WebhookSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Only the signature check reads it; never log or print it.
    public let secret: String

    /// Wraps a secret; surrounding whitespace and newlines (as left by `echo secret > file`) are removed.
    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public var description: String { "[REDACTED]" }
    public var debugDescription: String { "WebhookSecret([REDACTED])" }
}
