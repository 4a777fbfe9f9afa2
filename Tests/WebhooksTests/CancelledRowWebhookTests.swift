import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing
import Webhooks

/// A webhook about a row a person cancelled: recorded, never applied, the row stays cancelled.
@Suite("webhooks for cancelled rows", .timeLimit(.minutes(10)))
struct CancelledRowWebhookTests {
    @Test("a decision for a cancelled in-doubt row (matched by vendorData) is recorded, not applied")
    func cancelledRowStaysCancelled() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                // An in-doubt row without a session that a person cancelled; Veriff had created a session after all.
                let id = try await QueueFixtures.insert(db, status: "pending", inDoubt: true)
                try await db.execute(
                    "UPDATE session_queue SET session_id = NULL, session_url = NULL, session_token = NULL WHERE id = $1",
                    [id])
                let cancelled = try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
                    try await QueueOperator(pool: pool).perform(
                        QueueOperation(action: .cancel, selection: .ids([id]), actor: "tester"))
                }
                #expect(cancelled.changed.map(\.id) == [id])

                let body = WebhookFixtures.decision(
                    sessionID: "late-session", code: 9001, status: "approved", vendorData: "crm-1")
                let result = try await SessionLifecycle.record(
                    WebhookPayload.parse(kind: .decision, body: Array(body.utf8)), on: db)
                #expect(result.outcome == .cancelledRow)
                #expect(result.queueID == id)
                let row = try #require(
                    try await db.query(
                        "SELECT status, session_status, decision_code FROM session_queue WHERE id = $1", [id]
                    ).first)
                #expect(try row.decode("status", as: String.self) == "cancelled")
                #expect(try row.decode("session_status", as: String?.self) == nil)
                #expect(try row.decode("decision_code", as: Int?.self) == nil)
                let audit = try #require(
                    try await db.query("SELECT outcome, applied, queue_id FROM webhook_events").first)
                #expect(try audit.decode("outcome", as: String.self) == "cancelled_row")
                #expect(try audit.decode("applied", as: Bool.self) == false)
                #expect(try audit.decode("queue_id", as: Int64?.self) == id)
            }
        }
    }
}
