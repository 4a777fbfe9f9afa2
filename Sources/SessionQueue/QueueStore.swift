import Foundation
import Postgres
import VeriffAPI

/// A runner's operations on the queue, each one statement and one round trip: claim, renew leases, rescue, write
/// back, release.
///
/// Every write-back is guarded by `claimed_by`: a runner whose lease was taken over can no longer overwrite the
/// row (its attempts are still logged, so a session it created can be traced).
public struct QueueStore: Sendable {
    private let pool: PostgresConnectionPool
    private let reconnect: ReconnectPolicy?
    /// This runner's identity in `claimed_by`.
    public let runnerID: String

    /// - Parameters:
    ///   - pool: Where the queue lives.
    ///   - runnerID: This runner's identity in `claimed_by` (`host:pid:nonce`).
    ///   - reconnect: How an operation whose connection was lost is retried; `nil` for not at all. Every operation
    ///     is one statement, safe to repeat. Defaults to ``ReconnectPolicy/standard``.
    public init(pool: PostgresConnectionPool, runnerID: String, reconnect: ReconnectPolicy? = .standard) {
        self.pool = pool
        self.runnerID = runnerID
        self.reconnect = reconnect
    }

    /// Claims up to `limit` due pending rows for this runner.
    ///
    /// `FOR UPDATE SKIP LOCKED` lets several runners claim at once without waiting for or sharing rows.
    /// - Parameters:
    ///   - limit: The most rows to claim.
    ///   - lease: How long the claim holds if this runner dies; renewed while it runs.
    /// - Returns: The claimed rows (fewer than `limit`, or none, when fewer are due).
    public func claim(limit: Int, lease: Duration) async throws -> [ClaimedRow] {
        guard limit > 0 else { return [] }
        let rows = try await query(
            """
            WITH next AS (
                SELECT id FROM session_queue
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, id
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            )
            UPDATE session_queue q
            SET status = 'claimed', attempts = q.attempts + 1, claimed_by = $2,
                lease_expires_at = now() + $3 * interval '1 second'
            FROM next WHERE q.id = next.id
            RETURNING q.id, q.attempts, q.in_doubt, \(ClaimedRow.endUserColumns)
            """,
            [limit, runnerID, lease / .seconds(1)])
        return try rows.map { row in
            ClaimedRow(
                id: try row.decode("id"), attempts: try row.decode("attempts"), inDoubt: try row.decode("in_doubt"),
                endUser: try ClaimedRow.endUser(from: row))
        }
    }

    /// Extends the lease of every row this runner still holds.
    /// - Returns: How many rows it holds.
    @discardableResult
    public func renewLeases(lease: Duration) async throws -> Int {
        try await execute(
            """
            UPDATE session_queue SET lease_expires_at = now() + $2 * interval '1 second'
            WHERE status = 'claimed' AND claimed_by = $1
            """, [runnerID, lease / .seconds(1)])
    }

    /// Ends at once the leases held by runners on this host whose process is gone (kill -9, a crash, a reboot), so
    /// the next run rescues their rows now instead of after the lease. Runner ids are `host:pid:nonce`; a runner on
    /// another host, or whose pid is alive (or reused), keeps its lease.
    /// - Parameters:
    ///   - host: This machine's host name, as in runner ids.
    ///   - isAlive: Whether a process id is alive on this host.
    /// - Returns: How many rows were freed for rescue.
    @discardableResult
    public func expireLeasesOfDeadLocalRunners(host: String, isAlive: (Int) -> Bool) async throws -> Int {
        let holders = try await query(
            "SELECT DISTINCT claimed_by FROM session_queue WHERE status = 'claimed' AND claimed_by LIKE $1",
            [host.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + ":%"])
        var dead: [String] = []
        for row in holders {
            let holder: String = try row.decode("claimed_by")
            let parts = holder.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 3, parts.dropLast(2).joined(separator: ":") == host,
                let pid = Int(parts[parts.count - 2]), pid != Int(getpid()), !isAlive(pid)
            else { continue }
            dead.append(holder)
        }
        guard !dead.isEmpty else { return 0 }
        return try await execute(
            """
            UPDATE session_queue SET lease_expires_at = now() - interval '1 millisecond'
            WHERE status = 'claimed' AND claimed_by = ANY($1::text[])
            """, [dead])
    }

    /// Puts rows whose runner died (lease expired) back in the queue, marked in doubt: their request may have
    /// reached Veriff. Logs a `rescued` attempt for each.
    /// - Parameters:
    ///   - hold: Hold them for a person (`held`) instead of re-sending them.
    ///   - runID: The run doing the rescue, for the attempts log.
    /// - Returns: How many rows were rescued.
    @discardableResult
    public func rescueExpiredLeases(hold: Bool, runID: Int64?) async throws -> Int {
        let rows = try await query(
            """
            WITH rescued AS (
                UPDATE session_queue
                SET status = CASE WHEN $1 THEN 'held' ELSE 'pending' END, in_doubt = true,
                    last_error = 'runner ' || claimed_by || ' stopped without recording an answer; '
                        || 'a session may exist (look for vendorData ' || coalesce(vendor_data, id::text) || ')',
                    last_error_code = 'in_doubt', claimed_by = NULL, lease_expires_at = NULL, next_attempt_at = now()
                WHERE status = 'claimed' AND lease_expires_at < now()
                RETURNING id, attempts
            ), logged AS (
                INSERT INTO session_attempts (queue_id, run_id, attempt, started_at, outcome, message)
                SELECT id, $2, attempts, now(), 'rescued', 'lease expired: the runner that claimed the row stopped'
                FROM rescued
            )
            SELECT count(*) AS n FROM rescued
            """, [hold, runID])
        return try rows.first?.decode("n", as: Int.self) ?? 0
    }

    /// Writes a batch of results back in one statement, and logs their attempts.
    /// - Parameter runID: The run, for the attempts log.
    /// - Returns: How many rows were updated (rows whose lease another runner took over are skipped).
    @discardableResult
    public func record(_ results: [RowResult], runID: Int64?) async throws -> Int {
        guard !results.isEmpty else { return 0 }
        var columns = WriteBackColumns()
        for result in results { columns.append(result) }
        let rows = try await query(WriteBackColumns.statement, columns.parameters(runnerID: runnerID, runID: runID))
        return try rows.first?.decode("n", as: Int.self) ?? 0
    }

    /// Puts rows this runner claimed but never sent back to pending, refunding their attempt.
    /// - Returns: How many rows were released.
    @discardableResult
    public func release(_ rowIDs: [Int64]) async throws -> Int {
        guard !rowIDs.isEmpty else { return 0 }
        return try await execute(
            """
            UPDATE session_queue
            SET status = 'pending', attempts = greatest(attempts - 1, 0), claimed_by = NULL, lease_expires_at = NULL
            WHERE id = ANY($1::bigint[]) AND status = 'claimed' AND claimed_by = $2
            """, [rowIDs, runnerID])
    }

    /// When the next pending row falls due, if any (`nil` when nothing is pending).
    public func nextDueIn() async throws -> Duration? {
        let row = try await query(
            """
            SELECT extract(epoch FROM (min(next_attempt_at) - now()))::float8 AS seconds
            FROM session_queue WHERE status = 'pending'
            """
        ).first
        guard let seconds = try row?.decode("seconds", as: Double?.self) else { return nil }
        return .milliseconds(Int64(max(0, seconds) * 1000))
    }

    /// How many rows are pending and due now.
    public func dueCount() async throws -> Int {
        try await query(
            "SELECT count(*) AS n FROM session_queue WHERE status = 'pending' AND next_attempt_at <= now()"
        ).first?.decode("n", as: Int.self) ?? 0
    }

    /// How many rows are pending, due or not (scheduled retries and rows never claimed).
    public func pendingCount() async throws -> Int {
        try await query("SELECT count(*) AS n FROM session_queue WHERE status = 'pending'").first?
            .decode("n", as: Int.self) ?? 0
    }

    // MARK: - One statement on a pooled connection, under the reconnect policy

    private func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> [PostgresRow] {
        try await pool.query(sql, parameters, retrying: reconnect)
    }

    private func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        try await pool.execute(sql, parameters, retrying: reconnect)
    }
}
