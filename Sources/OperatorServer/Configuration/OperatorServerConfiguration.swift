import Webhooks

/// Everything `provisioner serve` (and `provisioner webhooks`, the same server with the dashboard off) is told.
public struct OperatorServerConfiguration: Sendable, CustomStringConvertible {
    /// Address, webhook and health paths, body limit, graceful-shutdown period and the webhook credentials. Its
    /// `host` and `port` are the server's.
    public var webhooks: WebhookConfiguration
    /// Where Prometheus scrapes (behind the dashboard token). Defaults to `/metrics`.
    public var metricsPath: String
    /// Opens `/metrics` and the dashboard; `nil` turns both off (they answer 404 saying so) while webhooks and
    /// health keep working. Defaults to `nil`.
    public var dashboardToken: DashboardToken?
    /// Timeouts and the connection cap. Defaults to ``ConnectionLimits/init(idleTimeout:requestHeadTimeout:bodyReadTimeout:maximumConnections:backlog:refusalDrainTimeout:refusalDrainBytes:)``'s defaults.
    public var limits: ConnectionLimits
    /// How often refused requests are logged. Defaults to ``RefusalLogPolicy/init(burst:interval:)``'s defaults.
    public var refusalLogging: RefusalLogPolicy

    public init(
        webhooks: WebhookConfiguration, metricsPath: String = "/metrics", dashboardToken: DashboardToken? = nil,
        limits: ConnectionLimits = ConnectionLimits(), refusalLogging: RefusalLogPolicy = RefusalLogPolicy()
    ) {
        self.webhooks = webhooks
        self.metricsPath = metricsPath
        self.dashboardToken = dashboardToken
        self.limits = limits
        self.refusalLogging = refusalLogging
    }

    /// Whether `/metrics` and the dashboard are served.
    public var dashboardEnabled: Bool { dashboardToken != nil }

    public var description: String {
        "OperatorServerConfiguration(webhooks: \(webhooks), metricsPath: \(metricsPath), "
            + "dashboard: \(dashboardEnabled ? "on, token [REDACTED]" : "off"), limits: \(limits))"
    }
}
