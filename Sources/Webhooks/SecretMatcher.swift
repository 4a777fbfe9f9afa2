import Crypto

/// Tells whether a presented credential (an API key in a header, a dashboard token) equals a secret, in constant
/// time.
///
/// Both sides go through HMAC-SHA256 under a key drawn at random per process, and the two 32-byte codes are compared
/// by swift-crypto's constant-time check: the time taken tells neither how many leading characters were right nor
/// the secret's length. The secret itself is not kept.
public struct SecretMatcher: Sendable {
    /// The random HMAC key's bytes (`SymmetricKey` is not `Sendable`; one is made per comparison).
    private let key: [UInt8]
    private let expected: [UInt8]

    /// - Parameter secret: The secret to compare against (its UTF-8 bytes).
    public init(secret: String) {
        let key = SymmetricKey(size: .bits256)
        self.key = key.withUnsafeBytes { Array($0) }
        expected = Array(HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: key))
    }

    /// Whether `candidate` is the secret.
    public func matches(_ candidate: some StringProtocol) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(
            expected, authenticating: Array(candidate.utf8), using: SymmetricKey(data: key))
    }
}
