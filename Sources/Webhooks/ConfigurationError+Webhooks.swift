import Support

/// The webhook receiver's configuration problems (``WebhookConfiguration``). Never contains a secret.
extension ConfigurationError {

    /// Neither `VERIFF_SHARED_SECRET` nor `--shared-secret-file` was given.
    public static let missingSharedSecret = ConfigurationError(
        Code("missingSharedSecret"), "no shared secret: set VERIFF_SHARED_SECRET or pass --shared-secret-file PATH"
    )
    /// The secret file could not be read.
    public static func sharedSecretFileUnreadable(path: String, reason: String) -> Self {
        Self(Code("sharedSecretFileUnreadable"), "cannot read the shared secret file \(path): \(reason)")
    }
    /// The secret file holds nothing but whitespace.
    public static func sharedSecretFileEmpty(path: String) -> Self {
        Self(Code("sharedSecretFileEmpty"), "the shared secret file \(path) is empty")
    }
    /// `--listen` is not `HOST:PORT`.
    public static func badListenAddress(_ value: String) -> Self {
        Self(Code("badListenAddress"), "--listen must be HOST:PORT (e.g. 127.0.0.1:8088 or [::1]:8088), got \(value)")
    }
    /// A path flag that does not start with `/`, or two paths that are the same.
    public static func badPath(_ message: String) -> Self { Self(Code("badPath"), message) }
}
