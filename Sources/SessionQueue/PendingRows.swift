import Postgres
import VeriffAPI

/// Read-only views of the pending rows, in the order a run claims them: what `run --dry-run` plans with. Nothing
/// is claimed or changed.
public enum PendingRows {
    /// A due pending row, with the keyset cursor of the page it came from.
    public struct DueRow: Sendable {
        public var id: Int64
        public var endUser: EndUser
        /// Where the next page starts (after this row).
        public var cursor: Cursor
    }

    /// A position in claim order (`next_attempt_at`, `id`). The timestamp travels as text so it round-trips
    /// exactly.
    public struct Cursor: Sendable, Hashable {
        var due: String
        var id: Int64
    }

    /// Pending rows scheduled for later (retries not yet due).
    public static func scheduledLaterCount(on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            "SELECT count(*) AS n FROM session_queue WHERE status = 'pending' AND next_attempt_at > now()"
        ).first?.decode("n") ?? 0
    }

    /// Pending rows due now.
    public static func dueCount(on connection: PostgresConnection) async throws -> Int {
        try await connection.query(
            "SELECT count(*) AS n FROM session_queue WHERE status = 'pending' AND next_attempt_at <= now()"
        ).first?.decode("n") ?? 0
    }

    /// The next page of due pending rows in claim order; keyset pagination keeps each page one index range scan.
    /// - Parameters:
    ///   - after: The cursor of the last row of the previous page; `nil` for the first page.
    ///   - limit: The page size.
    public static func duePage(on connection: PostgresConnection, after: Cursor?, limit: Int) async throws
        -> [DueRow]
    {
        let rows = try await connection.query(
            """
            SELECT id, next_attempt_at::text AS due, \(ClaimedRow.endUserColumns)
            FROM session_queue
            WHERE status = 'pending' AND next_attempt_at <= now()
              AND ($3 OR (next_attempt_at, id) > ($2::timestamptz, $1))
            ORDER BY next_attempt_at, id LIMIT $4
            """, [after?.id ?? 0, after?.due ?? "epoch", after == nil, limit])
        return try rows.map { row in
            let id: Int64 = try row.decode("id")
            return DueRow(
                id: id, endUser: try ClaimedRow.endUser(from: row), cursor: Cursor(due: try row.decode("due"), id: id))
        }
    }
}
