import SessionQueue

/// Where the webhook receiver records what it received.
public protocol WebhookStore: Sendable {
    /// Records one webhook (audit row, and the queue row under the ordering rule).
    /// - Throws: When nothing could be recorded (the database is down): the receiver answers 503 and Veriff retries.
    func record(_ event: LifecycleEvent) async throws -> LifecycleResult

    /// Whether the store can take writes now (the health check).
    func isHealthy() async -> Bool
}
