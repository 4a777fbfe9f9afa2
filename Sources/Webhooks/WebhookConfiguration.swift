import VeriffAPI

/// How the webhook receiver listens, which paths it serves, and the credentials it checks.
public struct WebhookConfiguration: Sendable, CustomStringConvertible {
    /// The address to bind (behind a reverse proxy: usually loopback). Defaults to `127.0.0.1`.
    public var host: String
    /// The port to bind; `0` picks a free one. Defaults to `8088`.
    public var port: Int
    /// Where Veriff posts decision webhooks. Defaults to `/webhooks/decision`.
    public var decisionPath: String
    /// Where Veriff posts event webhooks. Defaults to `/webhooks/event`.
    public var eventPath: String
    /// The health check (GET): 200 when the database answers, else 503. Defaults to `/healthz`.
    public var healthPath: String
    /// Larger bodies get 413 before any check. Defaults to 1 MiB (decision webhooks carry no images).
    public var maximumBodySize: Int
    /// How long a graceful stop lets in-flight webhooks finish. Defaults to 10 seconds.
    public var shutdownGracePeriod: Duration
    /// The shared secret that signs webhooks (`X-HMAC-SIGNATURE`). No default: required.
    public var sharedSecret: WebhookSecret
    /// The integration's API key, expected in `X-AUTH-CLIENT`. No default: required.
    public var apiKey: APIKey

    public init(
        host: String = "127.0.0.1", port: Int = 8088, decisionPath: String = "/webhooks/decision",
        eventPath: String = "/webhooks/event", healthPath: String = "/healthz", maximumBodySize: Int = 1 << 20,
        shutdownGracePeriod: Duration = .seconds(10), sharedSecret: WebhookSecret, apiKey: APIKey
    ) {
        self.host = host
        self.port = port
        self.decisionPath = decisionPath
        self.eventPath = eventPath
        self.healthPath = healthPath
        self.maximumBodySize = maximumBodySize
        self.shutdownGracePeriod = shutdownGracePeriod
        self.sharedSecret = sharedSecret
        self.apiKey = apiKey
    }

    public var description: String {
        "WebhookConfiguration(host: \(host), port: \(port), decisionPath: \(decisionPath), eventPath: \(eventPath), "
            + "healthPath: \(healthPath), maximumBodySize: \(maximumBodySize), sharedSecret: [REDACTED], "
            + "apiKey: [REDACTED])"
    }
}
