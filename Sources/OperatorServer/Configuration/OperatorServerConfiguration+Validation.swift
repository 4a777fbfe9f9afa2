import Support
import Webhooks

extension OperatorServerConfiguration {
    /// Checks the webhook and health paths (see ``WebhookConfiguration/validatePaths()``), that the metrics path has
    /// the same form, and that no two of them, nor the dashboard's `/`, are the same.
    ///
    /// - Throws: ``ConfigurationError/badPath(_:)``.
    public func validatePaths() throws {
        try webhooks.validatePaths()
        guard metricsPath.hasPrefix("/"), !metricsPath.contains("?"), !metricsPath.contains(where: \.isWhitespace)
        else {
            throw ConfigurationError.badPath("the metrics path must start with / (no query): \(metricsPath)")
        }
        let paths = [webhooks.decisionPath, webhooks.eventPath, webhooks.healthPath, metricsPath, "/"]
        guard Set(paths).count == paths.count else {
            throw ConfigurationError.badPath(
                "the decision, event, health and metrics paths must differ, and not be /")
        }
    }
}
