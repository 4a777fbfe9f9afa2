import Foundation
import Postgres

/// What the operator's dashboard shows above its rows: the queue by status, the last runs, and Veriff's decisions.
///
/// Read-only and cheap: one aggregate scan of `session_queue` (``QueueCounts``, the counts and the decisions
/// together), one look at the latest runs.
public struct DashboardOverview: Sendable, Hashable {
    /// The database's clock when the counts were read (the page's "as of").
    public var now: Date
    /// Rows by status; every ``QueueRowStatus`` is present (0 when none).
    public var byStatus: [QueueRowStatus: Int]
    /// Rows in doubt that no person has settled (``QueueRowState/inDoubtCondition``).
    public var inDoubt: Int
    /// Pending rows due now.
    public var dueNow: Int
    /// When the earliest postponed retry falls due.
    public var nextRetryAt: Date?
    /// Rows by Veriff's session status as the webhooks reported it (rows without one left out).
    public var sessionStatuses: [String: Int]
    /// The latest runs, newest first.
    public var runs: [DashboardRun]

    public init(
        now: Date, byStatus: [QueueRowStatus: Int], inDoubt: Int, dueNow: Int, nextRetryAt: Date?,
        sessionStatuses: [String: Int], runs: [DashboardRun]
    ) {
        self.now = now
        self.byStatus = byStatus
        self.inDoubt = inDoubt
        self.dueNow = dueNow
        self.nextRetryAt = nextRetryAt
        self.sessionStatuses = sessionStatuses
        self.runs = runs
    }

    /// The count of one status.
    public subscript(status: QueueRowStatus) -> Int { byStatus[status] ?? 0 }

    /// The latest run, if any ran.
    public var latestRun: DashboardRun? { runs.first }

    /// The funnel of Veriff's decisions over the sessions handed out.
    public var funnel: DecisionFunnel {
        DecisionFunnel(provisionedRows: self[.provisioned], sessionStatuses: sessionStatuses)
    }

    /// Reads the overview.
    /// - Parameters:
    ///   - connection: A connection to the queue's database.
    ///   - runs: How many of the latest runs to include. Defaults to 8.
    /// - Returns: The counts and runs now.
    /// - Throws: ``PostgresError``.
    public static func read(_ connection: PostgresConnection, runs: Int = 8) async throws -> DashboardOverview {
        let counts = try await QueueCounts.read(connection)
        let recent = try await connection.query(
            """
            SELECT id, host, pid, started_at, heartbeat_at, finished_at, outcome, cap_per_minute, claimed, provisioned,
                   failed, invalid, retried, rate_limited, in_doubt, message,
                   outcome = 'running' AND heartbeat_at > now() - interval '5 minutes' AS alive
            FROM provisioner_runs ORDER BY id DESC LIMIT $1
            """, [max(runs, 0)])
        return DashboardOverview(
            now: counts.now, byStatus: counts.byStatus, inDoubt: counts.inDoubt, dueNow: counts.dueNow,
            nextRetryAt: counts.nextRetryAt, sessionStatuses: counts.sessionStatuses,
            runs: try recent.map { row in
                var counts = RunCounts()
                counts.claimed = try row.decode("claimed")
                counts.provisioned = try row.decode("provisioned")
                counts.failed = try row.decode("failed")
                counts.invalid = try row.decode("invalid")
                counts.retried = try row.decode("retried")
                counts.rateLimited = try row.decode("rate_limited")
                counts.inDoubt = try row.decode("in_doubt")
                return DashboardRun(
                    id: try row.decode("id"), host: try row.decode("host"), pid: try row.decode("pid"),
                    startedAt: try row.decode("started_at"), heartbeatAt: try row.decode("heartbeat_at"),
                    finishedAt: try row.decode("finished_at"), outcome: try row.decode("outcome"),
                    capPerMinute: try row.decode("cap_per_minute"), counts: counts, message: try row.decode("message"),
                    isAlive: try row.decode("alive"))
            })
    }
}
