import RateLimiting
import SessionQueue
import Webhooks

/// What the operator server needs from the database beside recording webhooks: health, the metrics' counts, and
/// the dashboard's reads and actions (every statement is SessionQueue's or RateLimiting's typed operation).
public protocol OperatorDatabase: Sendable {
    /// Whether the database answers now.
    func isHealthy() async -> Bool
    /// The queue's counts for `/metrics`.
    func queueMetrics() async throws -> QueueMetrics
    /// What the dashboard shows above its rows: counts, runs, decisions, the charts' minutes, the learned caps.
    func dashboardSnapshot() async throws -> DashboardSnapshot
    /// A page of rows in `states`, newest change first, after `cursor`.
    func rowPage(in states: [QueueRowState], after cursor: QueueRowCursor?, limit: Int) async throws -> QueueRowPage
    /// Requeues, holds or cancels rows as the command line does (``QueueOperator/perform(_:)``).
    func perform(_ operation: QueueOperation) async throws -> QueueOperationResult
}

extension PostgresWebhookStore: OperatorDatabase {
    public func queueMetrics() async throws -> QueueMetrics {
        try await withConnection { connection in try await QueueMetrics.read(connection) }
    }

    public func dashboardSnapshot() async throws -> DashboardSnapshot {
        try await withConnection { connection in
            let overview = try await DashboardOverview.read(connection)
            var latestRun: SessionsPerMinute?
            if let run = overview.latestRun {
                latestRun = try await SessionsPerMinute.read(connection, runID: run.id)
            }
            return DashboardSnapshot(
                overview: overview, lastDay: try await SessionsPerMinute.read(connection, lastHours: 24),
                latestRun: latestRun, learnedCaps: try await LearnedCap.read(connection))
        }
    }

    public func rowPage(in states: [QueueRowState], after cursor: QueueRowCursor?, limit: Int) async throws
        -> QueueRowPage
    {
        try await QueueOperator(pool: pool).page(in: states, after: cursor, limit: limit)
    }

    public func perform(_ operation: QueueOperation) async throws -> QueueOperationResult {
        try await QueueOperator(pool: pool).perform(operation)
    }
}
