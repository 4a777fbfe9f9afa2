import Support
import Webhooks

extension OperatorServerConfiguration {
    /// Checks the webhook and health paths (see ``WebhookConfiguration/validatePaths()``), that the metrics path has
    /// the same form, and that no two of them, nor any of the dashboard's (`/`, `/login`, `/live`, `/logout`,
    /// `/rows/...`), are the same.
    ///
    /// - Throws: ``ConfigurationError/badPath(_:)``.
    public func validatePaths() throws {
        try webhooks.validatePaths()
        guard metricsPath.hasPrefix("/"), !metricsPath.contains("?"), !metricsPath.contains(where: \.isWhitespace)
        else {
            throw ConfigurationError.badPath("the metrics path must start with / (no query): \(metricsPath)")
        }
        let paths = [webhooks.decisionPath, webhooks.eventPath, webhooks.healthPath, metricsPath]
        guard Set(paths).count == paths.count else {
            throw ConfigurationError.badPath("the decision, event, health and metrics paths must differ")
        }
        if let taken = paths.first(where: DashboardRoutes.paths.contains) {
            throw ConfigurationError.badPath(
                "\(taken) is the dashboard's: the decision, event, health and metrics paths must not be "
                    + DashboardRoutes.paths.joined(separator: ", "))
        }
    }
}
