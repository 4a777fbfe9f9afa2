import Crypto

/// `X-HMAC-SIGNATURE`: lowercase hex HMAC-SHA256 of the raw body bytes with the integration's shared secret.
public enum WebhookSignature {
    /// Signs `body`.
    ///
    /// - Parameters:
    ///   - body: The raw bytes, exactly as sent (never re-serialised JSON).
    ///   - secret: The integration's shared secret (its UTF-8 bytes are the HMAC key).
    /// - Returns: 64 lowercase hexadecimal digits.
    public static func sign(body: some Collection<UInt8>, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        return HMAC<SHA256>.authenticationCode(for: Array(body), using: key).hexString
    }

    /// Checks a received signature in constant time (swift-crypto's comparison: the time does not depend on where
    /// the bytes differ).
    ///
    /// - Parameters:
    ///   - signature: The header value; hex digits of either case, surrounding whitespace ignored.
    ///   - body: The raw body bytes as received.
    ///   - secret: The integration's shared secret.
    /// - Returns: Whether `signature` is the HMAC of `body`.
    public static func isValid(signature: String, body: some Collection<UInt8>, secret: String) -> Bool {
        guard let code = bytes(hex: signature.trimmingWhitespace()), code.count == SHA256.byteCount else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(
            code, authenticating: Array(body), using: SymmetricKey(data: Array(secret.utf8)))
    }

    /// The bytes of a hexadecimal text, or `nil` when it is not one.
    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
