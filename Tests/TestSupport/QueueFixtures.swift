import Postgres

/// Queue rows in any state, inserted with plain SQL, for the operator's tests (`rows`, `requeue`, `hold`, `cancel`).
public enum QueueFixtures {
    /// The session token every fixture row carries: no listing may ever show it.
    public static func token(_ index: Int) -> String { "SECRET-TOKEN-\(index)-do-not-print" }
    /// The session url every fixture row carries (it holds a token too): no listing may ever show it.
    public static func url(_ index: Int) -> String { "https://alchemy.veriff.com/v/SECRET-URL-\(index)-do-not-print" }

    /// Inserts one row and returns its id. Every row gets a session id, url and token (even rows that are not
    /// provisioned: a renewed or hand-edited row may keep them), so a listing that leaks them is caught.
    /// - Parameters:
    ///   - status: The row's status (a `claimed` row gets a runner and a lease).
    ///   - inDoubt: The in-doubt flag.
    ///   - leaseSeconds: For a claimed row, seconds until its lease expires (negative: expired). Defaults to 300.
    ///   - dueInSeconds: Seconds until `next_attempt_at` (negative: overdue). Defaults to 0.
    ///   - attempts: Attempts so far. Defaults to 1.
    ///   - lastError: The last error. Defaults to none.
    ///   - index: Makes the row's vendorData, email, session id, url and token unique. Defaults to 1.
    @discardableResult
    public static func insert(
        _ db: PostgresConnection, status: String, inDoubt: Bool = false, leaseSeconds: Double = 300,
        dueInSeconds: Double = 0, attempts: Int = 1, lastError: String? = nil, index: Int = 1
    ) async throws -> Int64 {
        let claimed = status == "claimed"
        let rows = try await db.query(
            """
            INSERT INTO session_queue (first_name, last_name, email, vendor_data, status, in_doubt, attempts,
                last_error, last_error_code, next_attempt_at, claimed_by, lease_expires_at, session_id, session_url,
                session_token, provisioned_at, expires_at)
            VALUES ('Private', 'Person', $1, $2, $3::text, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE 'test' END,
                now() + $7 * interval '1 second', CASE WHEN $8 THEN 'other-host:4242:abcd' END,
                CASE WHEN $8 THEN now() + $9 * interval '1 second' END, $10, $11, $12,
                CASE WHEN $3::text = 'provisioned' THEN now() END, CASE WHEN $3::text = 'provisioned' THEN now() + interval '7 days' END)
            RETURNING id
            """,
            [
                "private.person\(index)@example.com", "crm-\(index)", status, inDoubt, attempts, lastError,
                dueInSeconds, claimed, leaseSeconds, "session-\(index)", url(index), token(index),
            ])
        return try rows[0].decode("id")
    }

    /// A row's status and in-doubt flag.
    public static func state(_ db: PostgresConnection, id: Int64) async throws -> (status: String, inDoubt: Bool)? {
        guard let row = try await db.query("SELECT status, in_doubt FROM session_queue WHERE id = $1", [id]).first
        else { return nil }
        return (try row.decode("status"), try row.decode("in_doubt"))
    }
}
