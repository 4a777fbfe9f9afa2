import Foundation
import Postgres

/// The lifecycle columns of one queue row.
public struct RowState: Equatable, Sendable {
    public var status: String
    public var sessionID: String?
    public var sessionStatus: String?
    public var decisionCode: Int?
    public var reasonCode: Int?
    public var decisionAt: Date?
    public var lastEventAt: Date?
    public var previousSessionIDs: [String]
    public var renewedCount: Int

    public static func read(_ db: PostgresConnection, id: Int64) async throws -> RowState {
        let rows = try await db.query(
            """
            SELECT status, session_id, session_status, decision_code, reason_code, decision_at, last_event_at,
                   previous_session_ids, renewed_count
            FROM session_queue WHERE id = $1
            """, [id])
        guard let row = rows.first else { throw TestSetupError("no queue row \(id)") }
        return RowState(
            status: try row.decode("status"), sessionID: try row.decode("session_id"),
            sessionStatus: try row.decode("session_status"), decisionCode: try row.decode("decision_code"),
            reasonCode: try row.decode("reason_code"), decisionAt: try row.decode("decision_at"),
            lastEventAt: try row.decode("last_event_at"), previousSessionIDs: try row.decode("previous_session_ids"),
            renewedCount: try row.decode("renewed_count"))
    }
}

/// Rows of the queue as the run leaves them.
public enum QueueRows {
    /// Inserts a provisioned row with a session (status `created`) that expires in `expiresIn` (an interval).
    @discardableResult
    public static func provisioned(
        _ db: PostgresConnection, sessionID: String, vendorData: String? = nil, email: String = "mari@example.com",
        sessionStatus: String? = "created", expiresIn: String = "7 days"
    ) async throws -> Int64 {
        let rows = try await db.query(
            """
            INSERT INTO session_queue (status, first_name, email, vendor_data, session_id, session_url, session_status,
                                       provisioned_at, expires_at)
            VALUES ('provisioned', 'Mari', $1, $2, $3, 'https://alchemy.veriff.com/v/' || $3, $4, now(),
                    now() + $5::interval)
            RETURNING id
            """, [email, vendorData, sessionID, sessionStatus, expiresIn])
        guard let row = rows.first else { throw TestSetupError("the insert returned no id") }
        return try row.decode("id")
    }

    /// The audit table's rows, oldest first: (outcome, applied, session id).
    public static func audit(_ db: PostgresConnection) async throws -> [(
        outcome: String, applied: Bool, session: String?
    )] {
        try await db.query("SELECT outcome, applied, session_id FROM webhook_events ORDER BY id").map {
            (try $0.decode("outcome"), try $0.decode("applied"), try $0.decode("session_id"))
        }
    }
}
