import Crypto

/// A Veriff API key (`X-AUTH-CLIENT`). Its `description` is redacted, so it can be logged or interpolated safely.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key itself. Only the HTTP layer reads it; never log or print it.
    public let secret: String

    /// Wraps a key; surrounding whitespace and newlines (as left by `echo key > file`) are removed.
    public init(_ secret: String) {
        self.secret = secret.trimmingWhitespace()
    }

    public var description: String { "[REDACTED]" }
    public var debugDescription: String { "APIKey([REDACTED])" }

    /// A stable, non-secret id of this key: the first 16 hex digits of its SHA-256.
    public var fingerprint: String {
        let digest = SHA256.hash(data: Array(secret.utf8))
        return String(digest.hexString.prefix(16))
    }
}

extension Sequence<UInt8> {
    /// Lowercase hexadecimal, two digits per byte.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// This string with every occurrence of `secret` replaced by `[REDACTED]` (no-op for an empty secret).
    func redacting(_ secret: String) -> String {
        guard !secret.isEmpty, contains(secret) else { return self }
        return split(separator: secret, omittingEmptySubsequences: false).joined(separator: "[REDACTED]")
    }
}
