/// Everything the ``VeriffClient`` needs to talk to one Veriff integration.
public struct VeriffConfiguration: Sendable, CustomStringConvertible {
    /// Veriff's documented default base URL.
    public static let defaultBaseURL = "https://stationapi.veriff.com"

    /// The integration's base URL, without `/v1/...`. Defaults to `https://stationapi.veriff.com`.
    public var baseURL: String
    /// The integration's API key, sent as `X-AUTH-CLIENT`. No default: required.
    public var apiKey: APIKey
    /// Sent as `vrf-integration-id` (flexible API key setup). Defaults to `nil`: header not sent.
    public var integrationID: String?
    /// The callback used when a row has none (`VERIFF_CALLBACK_URL`). Defaults to `nil`: none sent.
    public var defaultCallback: String?
    /// The most one request may take, connect to last byte. Defaults to 30 seconds.
    public var requestTimeout: Duration
    /// The most a connection attempt may take (capped by `requestTimeout`). Defaults to 10 seconds.
    public var connectTimeout: Duration
    /// `Retry-After` values are clamped to `0...maximumRetryAfter`. Defaults to 300 seconds.
    public var maximumRetryAfter: Duration
    /// The largest response body read; more is treated as a broken answer. Defaults to 1 MiB.
    public var maximumResponseBodySize: Int
    /// Sent as `User-Agent`. Defaults to `provisioner/<version>`.
    public var userAgent: String

    /// - Parameters:
    ///   - baseURL: See ``baseURL``; checked by ``validateBaseURL(_:name:)`` (``fromEnvironment`` does so)
    ///     and again by the client.
    ///   - apiKey: See ``apiKey``.
    public init(
        baseURL: String = VeriffConfiguration.defaultBaseURL, apiKey: APIKey, integrationID: String? = nil,
        defaultCallback: String? = nil, requestTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        maximumRetryAfter: Duration = .seconds(300), maximumResponseBodySize: Int = 1 << 20,
        userAgent: String = "provisioner/0.1.0"
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.integrationID = integrationID
        self.defaultCallback = defaultCallback
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.maximumRetryAfter = maximumRetryAfter
        self.maximumResponseBodySize = maximumResponseBodySize
        self.userAgent = userAgent
    }

    /// The URL sessions are created at: `<baseURL>/v1/sessions`.
    public var sessionsURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v1/sessions"
    }

    /// A stable id of the integration for the shared limiter: `integration:<id>` when an integration id is
    /// configured, else `key:<first 16 hex digits of SHA-256(key)>`. Never the key itself.
    public var limiterKey: String {
        if let integrationID, !integrationID.isEmpty { return "integration:\(integrationID)" }
        return "key:\(apiKey.fingerprint)"
    }

    public var description: String {
        "VeriffConfiguration(baseURL: \(baseURL), apiKey: [REDACTED], integrationID: \(integrationID ?? "-"), "
            + "defaultCallback: \(defaultCallback ?? "-"), requestTimeout: \(requestTimeout), userAgent: \(userAgent))"
    }
}
