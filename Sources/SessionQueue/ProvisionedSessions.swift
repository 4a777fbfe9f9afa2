import Foundation
import Postgres

/// The provisioned sessions on their way out: export batches (marked exported) and the live sessions to draw as QR
/// codes. Session urls and tokens are credentials: they leave the database only through here.
public enum ProvisionedSessions {
    /// One session to hand to the email step.
    public struct Exported: Sendable {
        public var id: Int64
        public var email: String?
        public var firstName: String?
        public var lastName: String?
        public var vendorData: String?
        public var sessionURL: String?
        /// When the session expires, as `YYYY-MM-DDTHH:MM:SSZ`.
        public var expiresAt: String?
        public var sessionID: String?
        public var sessionToken: String?
    }

    /// One session to draw as a QR code.
    public struct Live: Sendable {
        public var id: Int64
        public var firstName: String?
        public var lastName: String?
        public var vendorData: String?
        public var sessionURL: String
        /// When the session expires, as `YYYY-MM-DD HH:MM UTC`.
        public var expires: String?
    }

    /// Marks the next batch of provisioned sessions exported and returns it, in id order.
    ///
    /// Run it in a transaction that ends only once the batch is safely written: a rollback un-marks the rows.
    /// Without `all`, rows locked by another export are skipped, so two exports at once get disjoint rows.
    /// - Parameters:
    ///   - after: The last id of the previous batch (0 for the first).
    ///   - limit: The batch size.
    ///   - all: Re-export rows exported before too.
    public static func markExportedBatch(on connection: PostgresConnection, after: Int64, limit: Int, all: Bool)
        async throws -> [Exported]
    {
        let rows = try await connection.query(
            """
            WITH picked AS (
                SELECT id FROM session_queue
                WHERE status = 'provisioned' \(all ? "" : "AND exported_at IS NULL") AND id > $1
                ORDER BY id LIMIT $2
                FOR UPDATE \(all ? "" : "SKIP LOCKED")
            )
            UPDATE session_queue q SET exported_at = now()
            FROM picked WHERE q.id = picked.id
            RETURNING q.id, q.email, q.first_name, q.last_name, q.vendor_data, q.session_url,
                      to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at,
                      q.session_id, q.session_token
            """, [after, limit])
        return try rows.map { row in
            Exported(
                id: try row.decode("id"), email: try row.decode("email"), firstName: try row.decode("first_name"),
                lastName: try row.decode("last_name"), vendorData: try row.decode("vendor_data"),
                sessionURL: try row.decode("session_url"), expiresAt: try row.decode("expires_at"),
                sessionID: try row.decode("session_id"), sessionToken: try row.decode("session_token"))
        }.sorted { $0.id < $1.id }
    }

    /// The next page of provisioned sessions that have a url and have not expired, in id order.
    /// - Parameters:
    ///   - after: The last id of the previous page (0 for the first).
    ///   - limit: The page size.
    ///   - since: Only sessions provisioned at or after this instant.
    public static func livePage(on connection: PostgresConnection, after: Int64, limit: Int, since: Date?)
        async throws -> [Live]
    {
        let rows = try await connection.query(
            """
            SELECT id, first_name, last_name, vendor_data, session_url,
                   to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS expires
            FROM session_queue
            WHERE status = 'provisioned' AND session_url IS NOT NULL AND (expires_at IS NULL OR expires_at > now())
              AND id > $1 AND ($3::timestamptz IS NULL OR provisioned_at >= $3)
            ORDER BY id LIMIT $2
            """, [after, limit, since])
        return try rows.map { row in
            Live(
                id: try row.decode("id"), firstName: try row.decode("first_name"),
                lastName: try row.decode("last_name"), vendorData: try row.decode("vendor_data"),
                sessionURL: try row.decode("session_url"), expires: try row.decode("expires"))
        }
    }
}
