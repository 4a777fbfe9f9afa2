import Postgres

/// Puts rows whose session expired without a decision back in the queue, for a new session in the next run.
///
/// Every Veriff session expires 7 days after creation. A row is renewable when it is `provisioned`, its session
/// has expired (`expires_at`, else `provisioned_at` + 7 days, is past by the database's clock) and the end-user
/// never finished: `session_status` is NULL, `created` or `started` — or Veriff already said `expired` /
/// `abandoned` (its 9104 decision webhook), whatever `expires_at` says. Rows that were submitted, are under
/// review, asked to resubmit, approved or declined are never renewed.
public enum SessionRenewal {
    /// The condition, on `session_queue`, of a row to renew (statuses from ``SessionStatus/isRenewable``; the
    /// partial index `session_queue_renewable` of sql/003_webhooks.sql lists the same ones).
    static let renewableCondition: String = {
        func list(_ statuses: [SessionStatus]) -> String {
            statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        }
        let renewable = SessionStatus.allCases.filter(\.isRenewable)
        return """
            status = 'provisioned'
            AND (
                (coalesce(expires_at, provisioned_at + interval '7 days') < now()
                 AND (session_status IS NULL OR session_status IN (\(list(renewable)))))
                OR session_status IN (\(list(renewable.filter(\.isFinal))))
            )
            """
    }()

    /// Renews every renewable row: back to `pending` (attempts 0, due now), the old session id appended to
    /// `previous_session_ids`, the session fields, decision, export mark and errors cleared, `renewed_count` + 1.
    ///
    /// Safe with several runners: each row is renewed once (rows another transaction holds are skipped and
    /// renewed by whoever holds them, or by the next call).
    /// - Parameters:
    ///   - connection: A connection to the queue's database.
    ///   - dryRun: Count the rows that would be renewed, change nothing.
    /// - Returns: How many rows were renewed (or would be).
    /// - Throws: ``PostgresError``.
    @discardableResult
    public static func renewExpired(_ connection: PostgresConnection, dryRun: Bool = false) async throws -> Int {
        if dryRun {
            let rows = try await connection.query(
                "SELECT count(*) AS n FROM session_queue WHERE \(renewableCondition)")
            return try rows.first?.decode("n", as: Int.self) ?? 0
        }
        return try await connection.execute(
            """
            UPDATE session_queue SET
                status = 'pending', attempts = 0, next_attempt_at = now(),
                previous_session_ids = previous_session_ids || session_id,
                session_id = NULL, session_url = NULL, session_token = NULL, session_host = NULL,
                session_status = NULL, session_status_at = NULL, last_event_at = NULL,
                decision_code = NULL, reason_code = NULL, decision_reason = NULL, decision_at = NULL,
                provisioned_at = NULL, expires_at = NULL, exported_at = NULL,
                last_error = NULL, last_error_code = NULL, in_doubt = false,
                claimed_by = NULL, lease_expires_at = NULL,
                renewed_count = renewed_count + 1, renewed_at = now()
            WHERE id IN (
                SELECT id FROM session_queue WHERE \(renewableCondition)
                FOR UPDATE SKIP LOCKED
            )
            """)
    }
}
