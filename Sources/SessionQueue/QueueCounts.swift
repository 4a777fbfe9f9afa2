import Foundation
import Postgres

/// The queue's counts that `status` and the dashboard show, read in one aggregate scan of `session_queue`.
///
/// One pass, because the scan is what these pages cost (about 100 ms per 100,000 rows on 2 cores; BENCHMARKS.md,
/// "Dashboard"): rows by status and by Veriff's session status, in doubt, due now, the next retry and the expired
/// sessions all come from the same `GROUP BY`.
public struct QueueCounts: Sendable, Hashable {
    /// The database's clock when the counts were read.
    public var now: Date
    /// Rows by status; every ``QueueRowStatus`` is present (0 when none).
    public var byStatus: [QueueRowStatus: Int]
    /// Rows by Veriff's session status as the webhooks reported it (rows without one left out).
    public var sessionStatuses: [String: Int]
    /// Rows in doubt that no person has settled (``QueueRowState/inDoubtCondition``).
    public var inDoubt = 0
    /// Pending rows due now.
    public var dueNow = 0
    /// When the earliest postponed retry falls due.
    public var nextRetryAt: Date?
    /// Provisioned sessions whose 7 days have passed.
    public var expired = 0

    /// Reads the counts.
    /// - Parameter connection: A connection to the queue's database.
    /// - Throws: ``PostgresError``.
    public static func read(_ connection: PostgresConnection) async throws -> QueueCounts {
        let now: Date = try await connection.query("SELECT now() AS now")[0].decode("now")
        var counts = QueueCounts(
            now: now, byStatus: Dictionary(uniqueKeysWithValues: QueueRowStatus.allCases.map { ($0, 0) }),
            sessionStatuses: [:])
        for row in try await connection.query(
            """
            SELECT status, session_status, count(*) AS n,
                   count(*) FILTER (WHERE \(QueueRowState.inDoubtCondition)) AS in_doubt,
                   count(*) FILTER (WHERE status = 'pending' AND next_attempt_at <= $1) AS due_now,
                   min(next_attempt_at) FILTER (WHERE status = 'pending' AND next_attempt_at > $1) AS next_retry,
                   count(*) FILTER (WHERE status = 'provisioned' AND expires_at < $1) AS expired
            FROM session_queue GROUP BY status, session_status
            """, [now])
        {
            let count: Int = try row.decode("n")
            if let status = QueueRowStatus(rawValue: try row.decode("status")) {
                counts.byStatus[status, default: 0] += count
            }
            if let sessionStatus: String = try row.decode("session_status") {
                counts.sessionStatuses[sessionStatus, default: 0] += count
            }
            counts.inDoubt += try row.decode("in_doubt", as: Int.self)
            counts.dueNow += try row.decode("due_now", as: Int.self)
            counts.expired += try row.decode("expired", as: Int.self)
            if let retry: Date = try row.decode("next_retry") {
                counts.nextRetryAt = min(counts.nextRetryAt ?? retry, retry)
            }
        }
        return counts
    }
}
