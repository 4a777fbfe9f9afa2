import Foundation
import Postgres

/// What `provisioner status` shows: the queue by status, rows in doubt, the next retry, and the last runs.
public struct QueueStatus: Sendable, Codable {
    public struct Run: Sendable, Codable {
        public var id: Int64
        public var host: String
        public var pid: Int
        public var startedAt: Date
        public var finishedAt: Date?
        public var outcome: String
        public var claimed: Int
        public var provisioned: Int
        public var failed: Int
        public var invalid: Int
        public var retried: Int
        public var rateLimited: Int
        public var inDoubt: Int
        public var message: String?
    }

    /// Row counts by status (every ``QueueRowStatus``, by its raw value), zeros included.
    public var byStatus: [String: Int]
    /// Rows flagged in doubt that no person has settled: a request may have created a session whose answer was
    /// lost (``QueueRowState/inDoubtCondition``).
    public var inDoubt: Int
    /// Pending rows due now.
    public var dueNow: Int
    /// When the earliest scheduled retry falls due (pending rows not yet due).
    public var nextRetryAt: Date?
    /// Provisioned sessions whose 7 days have passed.
    public var expired: Int
    /// The most recent runs, newest first.
    public var recentRuns: [Run]

    /// Reads the status.
    /// - Parameter runs: How many recent runs to include.
    public static func read(_ connection: PostgresConnection, runs: Int = 5) async throws -> QueueStatus {
        let counts = try await QueueCounts.read(connection)
        let recent = try await connection.query(
            """
            SELECT id, host, pid, started_at, finished_at, outcome, claimed, provisioned, failed, invalid, retried,
                   rate_limited, in_doubt, message
            FROM provisioner_runs ORDER BY id DESC LIMIT $1
            """, [runs])
        return QueueStatus(
            byStatus: Dictionary(uniqueKeysWithValues: counts.byStatus.map { ($0.key.rawValue, $0.value) }),
            inDoubt: counts.inDoubt, dueNow: counts.dueNow, nextRetryAt: counts.nextRetryAt, expired: counts.expired,
            recentRuns: try recent.map { row in
                Run(
                    id: try row.decode("id"), host: try row.decode("host"), pid: try row.decode("pid"),
                    startedAt: try row.decode("started_at"), finishedAt: try row.decode("finished_at"),
                    outcome: try row.decode("outcome"), claimed: try row.decode("claimed"),
                    provisioned: try row.decode("provisioned"), failed: try row.decode("failed"),
                    invalid: try row.decode("invalid"), retried: try row.decode("retried"),
                    rateLimited: try row.decode("rate_limited"), inDoubt: try row.decode("in_doubt"),
                    message: try row.decode("message"))
            })
    }
}
