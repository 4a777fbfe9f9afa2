import SessionQueue
import Webhooks

/// What the operator server needs from the database beside recording webhooks: health and the metrics' counts.
public protocol OperatorDatabase: Sendable {
    /// Whether the database answers now.
    func isHealthy() async -> Bool
    /// The queue's counts for `/metrics`.
    func queueMetrics() async throws -> QueueMetrics
}

extension PostgresWebhookStore: OperatorDatabase {
    public func queueMetrics() async throws -> QueueMetrics {
        try await withConnection { connection in try await QueueMetrics.read(connection) }
    }
}
