import Support

/// The Veriff client's configuration problems (``VeriffConfiguration``). Never contains the API key.
extension ConfigurationError {

    /// Neither `VERIFF_API_KEY` nor `--api-key-file` was given.
    public static let missingAPIKey = ConfigurationError(
        Code("missingAPIKey"), "no Veriff API key: set VERIFF_API_KEY or pass --api-key-file PATH"
    )
    /// The key is not a UUID, as every Veriff API key is (Veriff would answer 401, code 1802). The key is not shown.
    public static func apiKeyNotUUID(source: String) -> Self {
        Self(
            Code("apiKeyNotUUID"),
            "the API key in \(source) is not a UUID (Veriff's keys are; Veriff would answer 401, code 1802)")
    }
    /// The key file could not be read.
    public static func apiKeyFileUnreadable(path: String, reason: String) -> Self {
        Self(Code("apiKeyFileUnreadable"), "cannot read the API key file \(path): \(reason)")
    }
    /// The key file holds nothing but whitespace.
    public static func apiKeyFileEmpty(path: String) -> Self {
        Self(Code("apiKeyFileEmpty"), "the API key file \(path) is empty")
    }
    /// The URL is not `http(s)://host[:port][/path]`.
    public static func malformedURL(_ name: String, _ value: String, reason: String) -> Self {
        Self(Code("malformedURL"), "\(name) is not a valid URL (\(reason)): \(value)")
    }
    /// Plain `http://` to a host that is not loopback.
    public static func insecureURL(_ name: String, _ value: String) -> Self {
        Self(
            Code("insecureURL"), "\(name) uses http:// to a non-loopback host; only https:// is allowed there: \(value)"
        )
    }
    /// The default callback is not an https URL (Veriff would answer 1302 for every row).
    public static func invalidCallback(_ value: String) -> Self {
        Self(Code("invalidCallback"), "VERIFF_CALLBACK_URL must be an https:// URL with a host: \(value)")
    }
    /// A timeout that is not a positive number of seconds.
    public static func invalidTimeout(_ value: String) -> Self {
        Self(Code("invalidTimeout"), "the request timeout must be a positive number of seconds: \(value)")
    }
}
