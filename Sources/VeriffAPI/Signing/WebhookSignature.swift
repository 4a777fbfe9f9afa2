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

    /// Checks a received signature in constant time (the time does not depend on where the digits differ).
    ///
    /// - Parameters:
    ///   - signature: The header value; hex digits of either case, surrounding whitespace ignored.
    ///   - body: The raw body bytes as received.
    ///   - secret: The integration's shared secret.
    /// - Returns: Whether `signature` is the HMAC of `body`.
    public static func isValid(signature: String, body: some Collection<UInt8>, secret: String) -> Bool {
        let expected = Array(sign(body: body, secret: secret).utf8)
        let given = Array(signature.trimmingWhitespace().lowercased().utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices {
            difference |= expected[index] ^ given[index]
        }
        return difference == 0
    }
}
