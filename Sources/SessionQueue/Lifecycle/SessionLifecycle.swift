import Foundation
import Postgres

/// Records Veriff's webhooks on the queue: the audit row, then the matched row's status under the ordering rule.
public enum SessionLifecycle {
    /// Whether the schema has the webhooks' table (migration 3), so webhooks can be recorded at all.
    /// - Throws: ``PostgresError``.
    public static func isReady(on connection: PostgresConnection) async throws -> Bool {
        try await connection.query("SELECT to_regclass('webhook_events') IS NOT NULL AS ready").first?
            .decode("ready", as: Bool.self) == true
    }

    /// Records one webhook: an audit row in `webhook_events`, and the matched queue row's new status when
    /// ``SessionStatus/transition(to:at:currentAt:)`` allows it. Everything happens in one transaction, with the
    /// queue row locked, so concurrent deliveries (and retries) are applied at most once and in a safe order.
    ///
    /// Matching: by session id; a session the row had before renewal is recorded as superseded; else by
    /// vendorData (or the row id, which the run sends as vendorData when a row has none) among rows without a
    /// session id (the answer to their request was lost). A row a person cancelled is never changed (recorded as
    /// ``LifecycleOutcome/cancelledRow``).
    ///
    /// - Parameters:
    ///   - event: The parsed webhook (ids, codes, status, times; no personal data).
    ///   - connection: A connection not in a transaction.
    /// - Returns: What was done and to which row. A body received before gives ``LifecycleOutcome/duplicate``.
    /// - Throws: ``PostgresError``: nothing is recorded; the caller answers 503 so that Veriff retries later.
    public static func record(_ event: LifecycleEvent, on connection: PostgresConnection) async throws
        -> LifecycleResult
    {
        try await connection.transaction { connection in
            guard let auditID = try await insertAudit(event, connection) else {
                return LifecycleResult(outcome: .duplicate)
            }
            let result = try await applyToQueue(event, connection)
            try await connection.execute(
                "UPDATE webhook_events SET outcome = $2, applied = $3, queue_id = $4 WHERE id = $1",
                [auditID, result.outcome.rawValue, result.outcome.isApplied, result.queueID])
            return result
        }
    }

    /// Inserts the audit row, or returns `nil` when a row with the same body hash exists (a replay).
    private static func insertAudit(_ event: LifecycleEvent, _ connection: PostgresConnection) async throws -> Int64? {
        let rows = try await connection.query(
            """
            INSERT INTO webhook_events
                (kind, body_sha256, session_id, attempt_id, vendor_data, code, status, reason_code, event_at, outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received')
            ON CONFLICT (body_sha256) DO NOTHING
            RETURNING id
            """,
            [
                event.kind.rawValue, event.bodySHA256, event.sessionID, event.attemptID, event.vendorData,
                event.code, event.statusText, event.reasonCode, event.occurredAt,
            ])
        return try rows.first?.decode("id", as: Int64.self)
    }

    /// The queue row a webhook is about, locked, with its current status.
    private struct MatchedRow {
        var id: Int64
        var rowStatus: QueueRowStatus?
        var status: SessionStatus?
        var statusAt: Date?
    }

    private static func applyToQueue(_ event: LifecycleEvent, _ connection: PostgresConnection) async throws
        -> LifecycleResult
    {
        if event.unparseableReason != nil { return LifecycleResult(outcome: .unparseable) }
        let match = try await findRow(event, connection)
        guard case .row(let row) = match else {
            if case .notApplied(let outcome, let queueID) = match {
                return LifecycleResult(outcome: outcome, queueID: queueID)
            }
            return LifecycleResult(outcome: .unknownSession)
        }
        if row.rowStatus == .cancelled {
            return LifecycleResult(outcome: .cancelledRow, queueID: row.id, status: row.status?.rawValue)
        }
        guard let incoming = event.status else {
            return LifecycleResult(outcome: .unknownStatus, queueID: row.id, status: row.status?.rawValue)
        }
        switch row.status.transition(to: incoming, at: event.occurredAt, currentAt: row.statusAt) {
        case .apply:
            try await update(row.id, to: incoming, event, connection)
            return LifecycleResult(outcome: .applied, queueID: row.id, status: incoming.rawValue)
        case .unchanged:
            return LifecycleResult(outcome: .unchanged, queueID: row.id, status: row.status?.rawValue)
        case .older:
            return LifecycleResult(outcome: .older, queueID: row.id, status: row.status?.rawValue)
        case .final:
            return LifecycleResult(outcome: .final, queueID: row.id, status: row.status?.rawValue)
        }
    }

    private enum Match {
        case row(MatchedRow)
        case notApplied(LifecycleOutcome, queueID: Int64?)
    }

    private static func findRow(_ event: LifecycleEvent, _ connection: PostgresConnection) async throws -> Match {
        if let sessionID = event.sessionID {
            let rows = try await connection.query(
                """
                SELECT id, status, session_status, session_status_at FROM session_queue
                WHERE session_id = $1 ORDER BY id LIMIT 1 FOR UPDATE
                """, [sessionID])
            if let row = rows.first { return .row(try matched(row)) }
            let previous = try await connection.query(
                "SELECT id FROM session_queue WHERE previous_session_ids @> ARRAY[$1::text] ORDER BY id LIMIT 1",
                [sessionID])
            if let row = previous.first {
                return .notApplied(.supersededSession, queueID: try row.decode("id", as: Int64.self))
            }
        }
        guard let vendorData = event.vendorData, !vendorData.isEmpty else {
            return .notApplied(.unknownSession, queueID: nil)
        }
        // The run sends the row id as vendorData when the row has none.
        let rowID = Int64(vendorData)
        let rows = try await connection.query(
            """
            SELECT id, status, session_id, session_status, session_status_at FROM session_queue
            WHERE vendor_data = $1 OR (vendor_data IS NULL AND id = $2)
            ORDER BY id LIMIT 10 FOR UPDATE
            """, [vendorData, rowID])
        let withoutSession = rows.filter { $0.isNull("session_id") }
        if withoutSession.count == 1 { return .row(try matched(withoutSession[0])) }
        if withoutSession.count > 1 {
            return .notApplied(.ambiguousVendorData, queueID: nil)
        }
        if let other = rows.first {
            return .notApplied(.sessionMismatch, queueID: try other.decode("id", as: Int64.self))
        }
        return .notApplied(.unknownSession, queueID: nil)
    }

    private static func matched(_ row: PostgresRow) throws -> MatchedRow {
        MatchedRow(
            id: try row.decode("id"), rowStatus: QueueRowStatus(rawValue: try row.decode("status")),
            status: try row.decode("session_status", as: String?.self).flatMap(SessionStatus.init(name:)),
            statusAt: try row.decode("session_status_at", as: Date?.self))
    }

    private static func update(
        _ id: Int64, to status: SessionStatus, _ event: LifecycleEvent, _ connection: PostgresConnection
    ) async throws {
        switch event.kind {
        case .decision:
            try await connection.execute(
                """
                UPDATE session_queue
                SET session_status = $2, session_status_at = $3, last_event_at = now(),
                    decision_code = $4, reason_code = $5, decision_reason = $6, decision_at = coalesce($3, now())
                WHERE id = $1
                """,
                [id, status.rawValue, event.occurredAt, event.code, event.reasonCode, event.reason])
        case .event:
            try await connection.execute(
                """
                UPDATE session_queue SET session_status = $2, session_status_at = $3, last_event_at = now()
                WHERE id = $1
                """,
                [id, status.rawValue, event.occurredAt])
        }
    }
}
