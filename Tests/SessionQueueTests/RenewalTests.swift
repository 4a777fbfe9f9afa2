import Foundation
import Postgres
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn
import Webhooks

@testable import SessionQueue

@Suite("renewal of expired sessions", .timeLimit(.minutes(10)))
struct RenewalTests {
    @Test("an expired session is renewed: back to pending, the old id kept, then a new session differs")
    func renewThenNewSession() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await withStandIn { standIn in
                    try await withVeriffClient(StandInTesting.clientConfiguration(for: standIn)) { client in
                        let user = EndUser(firstName: "Mari", lastName: "Maasikas", vendorData: "cust-renew")
                        // Provision the row with a real session from the stand-in.
                        let first = try await Self.createSession(client, user)
                        let id = try await QueueRows.provisioned(db, sessionID: first.id, vendorData: "cust-renew")
                        // The end-user opened the link but never finished.
                        try await db.execute("UPDATE session_queue SET session_status = 'started' WHERE id = $1", [id])

                        // Not expired yet: nothing to renew.
                        #expect(try await SessionRenewal.renewExpired(db) == 0)
                        // Eight days later (the row's dates moved back instead of the clock forward).
                        try await db.execute(
                            """
                            UPDATE session_queue SET provisioned_at = provisioned_at - interval '8 days',
                                expires_at = expires_at - interval '8 days' WHERE id = $1
                            """, [id])
                        #expect(try await SessionRenewal.renewExpired(db, dryRun: true) == 1)
                        #expect(try await RowState.read(db, id: id).status == "provisioned", "dry run changes nothing")
                        #expect(try await SessionRenewal.renewExpired(db) == 1)
                        #expect(try await SessionRenewal.renewExpired(db) == 0, "renewed once only")

                        let renewed = try await RowState.read(db, id: id)
                        #expect(renewed.status == "pending")
                        #expect(renewed.sessionID == nil && renewed.sessionStatus == nil)
                        #expect(renewed.previousSessionIDs == [first.id])
                        #expect(renewed.renewedCount == 1)
                        let due = try await db.query(
                            "SELECT attempts, next_attempt_at <= now() AS due, expires_at IS NULL AS cleared "
                                + "FROM session_queue WHERE id = $1", [id])
                        #expect(try due.first?.decode("attempts", as: Int.self) == 0)
                        #expect(try due.first?.decode("due", as: Bool.self) == true)
                        #expect(try due.first?.decode("cleared", as: Bool.self) == true)

                        // The next run creates a new session for the row (done here with the client directly).
                        let second = try await Self.createSession(client, user)
                        try await db.execute(
                            """
                            UPDATE session_queue SET status = 'provisioned', session_id = $2, session_url = $3,
                                session_status = 'created', provisioned_at = now(), expires_at = now() + interval '7 days'
                            WHERE id = $1
                            """, [id, second.id, second.url])
                        let after = try await RowState.read(db, id: id)
                        #expect(after.sessionID == second.id)
                        #expect(second.id != first.id)
                        #expect(after.previousSessionIDs == [first.id])

                        // Veriff's late "abandoned" decision for the old session is recorded, not applied.
                        let late = WebhookFixtures.decision(sessionID: first.id, code: 9104, status: "abandoned")
                        let result = try await SessionLifecycle.record(
                            WebhookPayload.parse(kind: .decision, body: Array(late.utf8)), on: db)
                        #expect(result.outcome == .supersededSession)
                        #expect(result.queueID == id)
                        #expect(try await RowState.read(db, id: id).sessionStatus == "created")

                        let counts = try await LifecycleCounts.fetch(db)
                        #expect(counts.renewedRows == 1 && counts.renewals == 1)
                        #expect(counts.awaitingRenewal == 0)
                    }
                }
            }
        }
    }

    @Test("only sessions that expired without a decision are renewed; status counts show decisions")
    func whichRowsRenew() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                let past = "-1 day"
                let renewable = [
                    try await QueueRows.provisioned(db, sessionID: "a", sessionStatus: nil, expiresIn: past),
                    try await QueueRows.provisioned(db, sessionID: "b", sessionStatus: "created", expiresIn: past),
                    try await QueueRows.provisioned(db, sessionID: "c", sessionStatus: "started", expiresIn: past),
                    // Veriff said so (9104), even if our expiry date is not past yet.
                    try await QueueRows.provisioned(db, sessionID: "d", sessionStatus: "expired"),
                    try await QueueRows.provisioned(db, sessionID: "e", sessionStatus: "abandoned", expiresIn: past),
                ]
                let kept = [
                    try await QueueRows.provisioned(db, sessionID: "f", sessionStatus: "created"),
                    try await QueueRows.provisioned(db, sessionID: "g", sessionStatus: "submitted", expiresIn: past),
                    try await QueueRows.provisioned(db, sessionID: "h", sessionStatus: "approved", expiresIn: past),
                    try await QueueRows.provisioned(db, sessionID: "i", sessionStatus: "declined", expiresIn: past),
                    try await QueueRows.provisioned(db, sessionID: "j", sessionStatus: "review", expiresIn: past),
                    try await QueueRows.provisioned(
                        db, sessionID: "k", sessionStatus: "resubmission_requested", expiresIn: past),
                ]
                let before = try await LifecycleCounts.fetch(db)
                #expect(before.approved == 1 && before.declined == 1 && before.review == 1)
                #expect(before.resubmissionRequested == 1 && before.expiredOrAbandoned == 2)
                #expect(before.awaitingRenewal == 5)

                #expect(try await SessionRenewal.renewExpired(db) == 5)
                for id in renewable {
                    let row = try await RowState.read(db, id: id)
                    #expect(row.status == "pending" && row.renewedCount == 1 && row.previousSessionIDs.count == 1)
                }
                for id in kept {
                    let row = try await RowState.read(db, id: id)
                    #expect(row.status == "provisioned" && row.renewedCount == 0 && row.previousSessionIDs.isEmpty)
                }
                let after = try await LifecycleCounts.fetch(db)
                #expect(after.renewedRows == 5 && after.renewals == 5 && after.awaitingRenewal == 0)
                #expect(after.expiredOrAbandoned == 0)
                #expect(after.approved == 1)
            }
        }
    }

    @Test("finding renewable rows uses the partial index, not a scan of decided rows")
    func usesPartialIndex() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute(
                    """
                    INSERT INTO session_queue (status, email, session_id, session_url, session_status, provisioned_at,
                                               expires_at)
                    SELECT 'provisioned', 'u@example.com', 's' || g, 'https://v.example/' || g,
                           CASE WHEN g % 100 = 0 THEN 'created' ELSE 'approved' END, now(), now() - interval '1 day'
                    FROM generate_series(1, 20000) g
                    """)
                try await db.execute("ANALYZE session_queue")
                try await db.execute("SET enable_seqscan = off")
                let plan = try await db.query(
                    "EXPLAIN SELECT id FROM session_queue WHERE \(SessionRenewal.renewableCondition) FOR UPDATE SKIP LOCKED"
                ).map { try $0.decode(at: 0, as: String.self) }.joined(separator: "\n")
                #expect(plan.contains("session_queue_renewable"), "\(plan)")
                #expect(try await SessionRenewal.renewExpired(db, dryRun: true) == 200)
            }
        }
    }

    static func createSession(_ client: VeriffClient, _ user: EndUser) async throws -> CreatedSession {
        let attempt = await client.createSession(user.sessionRequest())
        guard case .created(let session) = attempt.outcome else {
            throw TestSetupError("the stand-in did not create a session: \(attempt.outcome)")
        }
        return session
    }
}
