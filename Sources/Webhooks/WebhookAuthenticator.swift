import Crypto
import Foundation
import VeriffAPI

/// Tells whether a webhook comes from Veriff: `X-AUTH-CLIENT` must be the integration's API key, and
/// `X-HMAC-SIGNATURE` the HMAC-SHA256 of the raw body bytes with the shared secret.
///
/// Both comparisons are swift-crypto's constant-time MAC check (`HMAC.isValidAuthenticationCode`), so the time taken
/// does not tell how much of a guess was right; the API key goes through ``SecretMatcher``.
public struct WebhookAuthenticator: Sendable {
    private let client: SecretMatcher
    /// The shared secret's bytes (the HMAC key).
    private let sharedSecret: [UInt8]

    /// - Parameters:
    ///   - apiKey: The integration's API key, expected in `X-AUTH-CLIENT`.
    ///   - sharedSecret: The integration's shared secret, which signs the bodies.
    public init(apiKey: APIKey, sharedSecret: WebhookSecret) {
        client = SecretMatcher(secret: apiKey.secret)
        self.sharedSecret = Array(sharedSecret.secret.utf8)
    }

    /// Checks `X-AUTH-CLIENT`; needs only the headers.
    ///
    /// - Parameter client: The header's value, `nil` when absent.
    /// - Returns: Why it is refused, or `nil` when it is the API key.
    public func checkClient(_ client: String?) -> WebhookRefusal? {
        guard let client else { return .noClient }
        return self.client.matches(client.trimmingCharacters(in: .whitespaces)) ? nil : .wrongClient
    }

    /// Checks `X-HMAC-SIGNATURE` against the raw body bytes.
    ///
    /// - Parameters:
    ///   - signature: The header's value (hex digits of either case, surrounding whitespace ignored), `nil` when
    ///     absent.
    ///   - body: The body exactly as received.
    /// - Returns: Why it is refused, or `nil` when the signature is right.
    public func checkSignature(_ signature: String?, body: some Collection<UInt8>) -> WebhookRefusal? {
        guard let signature else { return .noSignature }
        guard let mac = Self.bytes(hex: signature.trimmingCharacters(in: .whitespaces)), mac.count == SHA256.byteCount
        else {
            return .badSignature
        }
        return HMAC<SHA256>.isValidAuthenticationCode(
            mac, authenticating: Array(body), using: SymmetricKey(data: sharedSecret))
            ? nil : .badSignature
    }

    /// Hex digits (either case) as bytes; `nil` when the text is not an even number of hex digits.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
