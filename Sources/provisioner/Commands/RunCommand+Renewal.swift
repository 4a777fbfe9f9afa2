import Logging

extension RunCommand {
    /// Renewal of expired sessions (`--renew-expired`) arrives with the webhooks work; until then a run renews nothing.
    func renewExpiredSessions(logger: Logger) async throws {}
}
