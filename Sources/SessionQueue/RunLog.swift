import Postgres

/// The `provisioner_runs` table: one row per run, with a heartbeat, so `status` can show what ran and how it ended.
public struct RunLog: Sendable {
    /// How a run ended, as stored in `provisioner_runs.outcome`.
    public enum Outcome: String, Sendable, Codable {
        case running
        case completed
        case rowsFailed = "rows_failed"
        case interrupted
        case fatalAPIAnswer = "fatal_api_answer"
        case veriffUnavailable = "veriff_unavailable"
        case databaseUnavailable = "database_unavailable"
        case crashed
    }

    private let pool: PostgresConnectionPool
    private let reconnect: ReconnectPolicy?

    /// - Parameters:
    ///   - pool: Where the runs table lives.
    ///   - reconnect: How a statement whose connection was lost is retried; `nil` for not at all. Defaults to
    ///     ``ReconnectPolicy/standard``.
    public init(pool: PostgresConnectionPool, reconnect: ReconnectPolicy? = .standard) {
        self.pool = pool
        self.reconnect = reconnect
    }

    /// Records the start of a run, and marks runs whose heartbeat stopped long ago as crashed.
    /// - Returns: The new run's id.
    public func start(runnerID: String, host: String, pid: Int, capPerMinute: Double?) async throws -> Int64 {
        try await pool.execute(
            """
            UPDATE provisioner_runs SET outcome = 'crashed', finished_at = heartbeat_at,
                message = 'no heartbeat since ' || heartbeat_at
            WHERE outcome = 'running' AND heartbeat_at < now() - interval '5 minutes'
            """, retrying: reconnect)
        let row = try await pool.query(
            """
            INSERT INTO provisioner_runs (runner_id, host, pid, cap_per_minute) VALUES ($1, $2, $3, $4)
            RETURNING id
            """, [runnerID, host, pid, capPerMinute], retrying: reconnect)
        return try row[0].decode("id")
    }

    /// Saves the counts so far and proves the run is alive.
    public func heartbeat(runID: Int64, counts: RunCounts) async throws {
        try await pool.execute(
            """
            UPDATE provisioner_runs SET heartbeat_at = now(), claimed = $2, provisioned = $3, failed = $4,
                invalid = $5, retried = $6, rate_limited = $7, in_doubt = $8
            WHERE id = $1
            """,
            [
                runID, counts.claimed, counts.provisioned, counts.failed, counts.invalid, counts.retried,
                counts.rateLimited, counts.inDoubt,
            ], retrying: reconnect)
    }

    /// Records how the run ended.
    public func finish(runID: Int64, outcome: Outcome, counts: RunCounts, message: String?) async throws {
        try await heartbeat(runID: runID, counts: counts)
        try await pool.execute(
            "UPDATE provisioner_runs SET finished_at = now(), outcome = $2, message = $3 WHERE id = $1",
            [runID, outcome.rawValue, message], retrying: reconnect)
    }
}
