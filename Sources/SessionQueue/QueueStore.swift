import Foundation
import Postgres
import VeriffAPI

/// The queue operations of a run, each one statement and one round trip: claim, renew leases, rescue, write back.
///
/// Every write-back is guarded by `claimed_by`: a runner whose lease was taken over can no longer overwrite the
/// row (its attempts are still logged, so a session it created can be traced).
public struct QueueStore: Sendable {
    public let connection: PostgresConnection
    /// This runner's identity in `claimed_by`.
    public let runnerID: String

    public init(connection: PostgresConnection, runnerID: String) {
        self.connection = connection
        self.runnerID = runnerID
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
        let rows = try await connection.query(
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
            [limit, runnerID, lease.seconds])
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
        try await connection.execute(
            """
            UPDATE session_queue SET lease_expires_at = now() + $2 * interval '1 second'
            WHERE status = 'claimed' AND claimed_by = $1
            """, [runnerID, lease.seconds])
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
        let holders = try await connection.query(
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
        return try await connection.execute(
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
        let rows = try await connection.query(
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
        let rows = try await connection.query(
            """
            WITH u AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                     $7::text[], $8::text[], $9::text[], $10::float8[], $11::int[], $12::bool[])
                    AS u(id, status, session_id, session_url, session_token, session_host, session_status,
                         last_error, last_error_code, retry_ms, refund, in_doubt)
            ), updated AS (
                UPDATE session_queue q SET
                    status = u.status,
                    session_id = coalesce(u.session_id, q.session_id),
                    session_url = coalesce(u.session_url, q.session_url),
                    session_token = coalesce(u.session_token, q.session_token),
                    session_host = coalesce(u.session_host, q.session_host),
                    session_status = coalesce(u.session_status, q.session_status),
                    provisioned_at = CASE WHEN u.status = 'provisioned' THEN now() ELSE q.provisioned_at END,
                    expires_at = CASE WHEN u.status = 'provisioned' THEN now() + interval '7 days'
                                      ELSE q.expires_at END,
                    last_error = CASE WHEN u.status = 'provisioned' THEN NULL
                                      ELSE coalesce(u.last_error, q.last_error) END,
                    last_error_code = CASE WHEN u.status = 'provisioned' THEN NULL
                                           ELSE coalesce(u.last_error_code, q.last_error_code) END,
                    next_attempt_at = CASE WHEN u.retry_ms IS NULL THEN q.next_attempt_at
                                           ELSE now() + u.retry_ms * interval '1 millisecond' END,
                    attempts = greatest(q.attempts - u.refund, 0),
                    in_doubt = q.in_doubt OR u.in_doubt,
                    claimed_by = NULL, lease_expires_at = NULL
                FROM u
                WHERE q.id = u.id AND q.status = 'claimed' AND q.claimed_by = $13
                RETURNING q.id
            ), logged AS (
                INSERT INTO session_attempts (queue_id, run_id, attempt, started_at, duration_ms, outcome,
                                              http_status, veriff_code, message, session_id)
                SELECT a.queue_id, $14, a.attempt, to_timestamp(a.started_at), a.duration_ms, a.outcome,
                       a.http_status, a.veriff_code, a.message, a.session_id
                FROM unnest($15::bigint[], $16::int[], $17::float8[], $18::float8[], $19::text[], $20::int[],
                            $21::text[], $22::text[], $23::text[])
                    AS a(queue_id, attempt, started_at, duration_ms, outcome, http_status, veriff_code, message,
                         session_id)
            )
            SELECT count(*) AS n FROM updated
            """,
            columns.parameters(runnerID: runnerID, runID: runID))
        return try rows.first?.decode("n", as: Int.self) ?? 0
    }

    /// Puts rows this runner claimed but never sent back to pending, refunding their attempt.
    /// - Returns: How many rows were released.
    @discardableResult
    public func release(_ rowIDs: [Int64]) async throws -> Int {
        guard !rowIDs.isEmpty else { return 0 }
        return try await connection.execute(
            """
            UPDATE session_queue
            SET status = 'pending', attempts = greatest(attempts - 1, 0), claimed_by = NULL, lease_expires_at = NULL
            WHERE id = ANY($1::bigint[]) AND status = 'claimed' AND claimed_by = $2
            """, [rowIDs, runnerID])
    }

    /// When the next pending row falls due, if any (`nil` when nothing is pending).
    public func nextDueIn() async throws -> Duration? {
        let row = try await connection.query(
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
        try await connection.query(
            "SELECT count(*) AS n FROM session_queue WHERE status = 'pending' AND next_attempt_at <= now()"
        ).first?.decode("n", as: Int.self) ?? 0
    }
}

/// The column arrays of one write-back statement.
private struct WriteBackColumns {
    var ids: [Int64] = []
    var statuses: [String] = []
    var sessionIDs: [String?] = []
    var urls: [String?] = []
    var tokens: [String?] = []
    var hosts: [String?] = []
    var sessionStatuses: [String?] = []
    var errors: [String?] = []
    var errorCodes: [String?] = []
    var retryMilliseconds: [Double?] = []
    var refunds: [Int] = []
    var inDoubt: [Bool] = []

    var attemptRows: [Int64] = []
    var attemptNumbers: [Int] = []
    var attemptStarts: [Double] = []
    var attemptDurations: [Double?] = []
    var attemptOutcomes: [String] = []
    var attemptStatuses: [Int?] = []
    var attemptCodes: [String?] = []
    var attemptMessages: [String?] = []
    var attemptSessions: [String?] = []

    mutating func append(_ result: RowResult) {
        var status = "pending"
        var session: (id: String?, url: String?, token: String?, host: String?, status: String?) = (
            nil, nil, nil, nil, nil
        )
        var error: String?
        var code: String?
        var retry: Double?
        var refund = 0
        switch result.disposition {
        case .provisioned(let created):
            status = "provisioned"
            session = (created.id, created.url, created.sessionToken, created.host, created.status ?? "created")
        case .failed(let failureCode, let message):
            status = "failed"
            (error, code) = (message, failureCode)
        case .invalid(let reason):
            status = "invalid"
            (error, code) = (reason, "invalid")
        case .retry(let delay, let retryCode, let message):
            (error, code) = (message, retryCode)
            retry = Double(delay.components.seconds) * 1000 + Double(delay.components.attoseconds) / 1e15
        case .rateLimited(let delay):
            (error, code) = ("rate limited (429)", "rate_limited")
            retry = Double(delay.components.seconds) * 1000 + Double(delay.components.attoseconds) / 1e15
            refund = 1
        case .held(let message):
            status = "held"
            (error, code) = (message, "in_doubt")
        case .released:
            refund = 1
        }
        ids.append(result.rowID)
        statuses.append(status)
        sessionIDs.append(session.id)
        urls.append(session.url)
        tokens.append(session.token)
        hosts.append(session.host)
        sessionStatuses.append(session.status)
        errors.append(error)
        errorCodes.append(code)
        retryMilliseconds.append(retry)
        refunds.append(refund)
        inDoubt.append(result.inDoubt)

        if let attempt = result.attempt {
            attemptRows.append(result.rowID)
            attemptNumbers.append(attempt.attemptNumber)
            attemptStarts.append(attempt.startedAt)
            attemptDurations.append(attempt.durationMilliseconds)
            attemptOutcomes.append(attempt.outcome)
            attemptStatuses.append(attempt.httpStatus)
            attemptCodes.append(attempt.veriffCode)
            attemptMessages.append(attempt.message)
            attemptSessions.append(attempt.sessionID)
        }
    }

    func parameters(runnerID: String, runID: Int64?) -> [any PostgresEncodable] {
        [
            ids, statuses, sessionIDs, urls, tokens, hosts, sessionStatuses, errors, errorCodes, retryMilliseconds,
            refunds, inDoubt, runnerID, runID, attemptRows, attemptNumbers, attemptStarts, attemptDurations,
            attemptOutcomes, attemptStatuses, attemptCodes, attemptMessages, attemptSessions,
        ]
    }
}

extension Duration {
    /// The duration in seconds, as a Double (for SQL intervals).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
