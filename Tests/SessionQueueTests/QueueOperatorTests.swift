import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing

/// The operator's statements against PostgreSQL: listing rows, and requeue / hold / cancel under the transition
/// rule, with the attempts log.
@Suite("Queue operator against PostgreSQL", .timeLimit(.minutes(10)))
struct QueueOperatorTests {
    static func perform(
        _ conninfo: String, _ action: QueueRowAction, _ selection: QueueRowSelection, dryRun: Bool = false,
        reason: String? = nil
    ) async throws -> QueueOperationResult {
        try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
            try await QueueOperator(pool: pool).perform(
                QueueOperation(
                    action: action, selection: selection, actor: "tester@test-host", reason: reason, dryRun: dryRun))
        }
    }

    @Test("a row claimed by a live runner is never touched, by id or by state, by any action")
    func liveClaimUntouched() async throws {
        try await TestDatabase.withFresh { conninfo in
            let live = try await TestDatabase.withConnection(conninfo) { db in
                try await QueueFixtures.insert(db, status: "claimed", inDoubt: true, leaseSeconds: 300)
            }
            for action in QueueRowAction.allCases {
                for selection in [QueueRowSelection.ids([live]), .states([.status(.claimed), .inDoubt])] {
                    let result = try await Self.perform(conninfo, action, selection)
                    #expect(result.changed.isEmpty, "\(action) \(selection)")
                    #expect(result.skipped == [.init(id: live, status: .claimed, reason: .claimedByLiveRunner)])
                }
            }
            try await TestDatabase.withConnection(conninfo) { db in
                let row = try #require(
                    try await db.query(
                        "SELECT status, claimed_by, lease_expires_at > now() AS live FROM session_queue WHERE id = $1",
                        [live]
                    ).first)
                #expect(try row.decode("status", as: String.self) == "claimed")
                #expect(try row.decode("claimed_by", as: String?.self) == "other-host:4242:abcd")
                #expect(try row.decode("live", as: Bool.self))
                let logged = try await db.query("SELECT count(*) AS n FROM session_attempts")
                #expect(try logged[0].decode("n", as: Int.self) == 0)
            }
        }
    }

    @Test("requeue: failed, held and in-doubt rows back to pending, due now, attempts 0; logged with who and when")
    func requeue() async throws {
        try await TestDatabase.withFresh { conninfo in
            let (failed, held, doubtful, provisioned, expired) = try await TestDatabase.withConnection(conninfo) { db in
                (
                    try await QueueFixtures.insert(db, status: "failed", attempts: 8, lastError: "gave up", index: 1),
                    try await QueueFixtures.insert(db, status: "held", inDoubt: true, index: 2),
                    try await QueueFixtures.insert(db, status: "pending", inDoubt: true, dueInSeconds: 600, index: 3),
                    try await QueueFixtures.insert(db, status: "provisioned", index: 4),
                    try await QueueFixtures.insert(db, status: "claimed", leaseSeconds: -5, index: 5)
                )
            }
            let dry = try await Self.perform(
                conninfo, .requeue, .ids([failed, held, doubtful, provisioned, expired, 999_999]), dryRun: true)
            #expect(dry.dryRun && dry.changed.map(\.id) == [failed, held, doubtful, expired])
            try await TestDatabase.withConnection(conninfo) { db in
                let state = try await QueueFixtures.state(db, id: failed)
                #expect(state?.status == "failed")  // dry run: nothing changed
            }

            let result = try await Self.perform(
                conninfo, .requeue, .ids([failed, held, doubtful, provisioned, expired, 999_999]),
                reason: "checked in the portal: no session")
            #expect(result.actor == "tester@test-host")
            #expect(result.databaseUser == "postgres")
            #expect(
                result.changed == [
                    .init(id: failed, from: .failed, to: .pending, wasInDoubt: false, inDoubt: false),
                    .init(id: held, from: .held, to: .pending, wasInDoubt: true, inDoubt: false),
                    .init(id: doubtful, from: .pending, to: .pending, wasInDoubt: true, inDoubt: false),
                    .init(id: expired, from: .claimed, to: .pending, wasInDoubt: false, inDoubt: true),
                ])
            #expect(
                result.skipped == [
                    .init(id: provisioned, status: .provisioned, reason: .provisioned),
                    .init(id: 999_999, status: nil, reason: .notFound),
                ])
            try await TestDatabase.withConnection(conninfo) { db in
                let rows = try await db.query(
                    """
                    SELECT id, status, attempts, in_doubt, claimed_by, next_attempt_at <= now() AS due
                    FROM session_queue WHERE id = ANY($1::bigint[]) ORDER BY id
                    """, [[failed, held, doubtful, expired]])
                for row in rows {
                    #expect(try row.decode("status", as: String.self) == "pending")
                    #expect(try row.decode("attempts", as: Int.self) == 0)
                    #expect(try row.decode("due", as: Bool.self))
                    #expect(try row.decode("claimed_by", as: String?.self) == nil)
                }
                let stillProvisioned = try await QueueFixtures.state(db, id: provisioned)
                #expect(stillProvisioned?.status == "provisioned")
                let log = try await db.query(
                    """
                    SELECT queue_id, outcome, actor, database_user, previous_status, message,
                           started_at > now() - interval '1 minute' AS recent
                    FROM session_attempts ORDER BY queue_id
                    """)
                #expect(try log.map { try $0.decode("queue_id", as: Int64.self) } == [failed, held, doubtful, expired])
                for entry in log {
                    #expect(try entry.decode("outcome", as: String.self) == "requeued")
                    #expect(try entry.decode("actor", as: String.self) == "tester@test-host")
                    #expect(try entry.decode("database_user", as: String.self) == "postgres")
                    #expect(try entry.decode("recent", as: Bool.self))
                    #expect(try entry.decode("message", as: String.self).contains("checked in the portal"))
                }
                #expect(try log[0].decode("previous_status", as: String.self) == "failed")
            }
            // Requeued rows are due: a second requeue has nothing to do.
            let again = try await Self.perform(conninfo, .requeue, .ids([failed]))
            #expect(again.changed.isEmpty && again.skipped.map(\.reason) == [.unchanged])
        }
    }

    @Test("hold and cancel by state; a run never claims held or cancelled rows; status counts cancelled")
    func holdAndCancelByState() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                for index in 1...3 { try await QueueFixtures.insert(db, status: "pending", index: index) }
                for index in 4...5 { try await QueueFixtures.insert(db, status: "failed", index: index) }
            }
            let held = try await Self.perform(conninfo, .hold, .states([.status(.pending)]))
            #expect(held.changed.count == 3 && held.changed.allSatisfy { $0.from == .pending && $0.to == .held })
            let cancelled = try await Self.perform(conninfo, .cancel, .states([.status(.failed), .status(.held)]))
            #expect(cancelled.changed.count == 5 && cancelled.skipped.isEmpty)
            try await TestDatabase.withPool(conninfo) { pool in
                let claimed = try await QueueStore(pool: pool, runnerID: "test:1:x").claim(
                    limit: 100, lease: .seconds(60))
                #expect(claimed.isEmpty)
                let status = try await pool.withConnection { try await QueueStatus.read($0) }
                #expect(status.byStatus["cancelled"] == 5)
                #expect(status.byStatus.keys.contains("cancelled"))
                // Cancelled rows are never renewed, even with a session that expired unfinished.
                let renewed = try await pool.withConnection { connection in
                    try await connection.execute(
                        """
                        UPDATE session_queue SET session_status = 'created', provisioned_at = now() - interval '8 days',
                            expires_at = now() - interval '1 day'
                        WHERE status = 'cancelled'
                        """)
                    return try await SessionRenewal.renewExpired(connection)
                }
                #expect(renewed == 0)
                // Nor drawn as QR codes (or exported), even with a live session url.
                let drawn = try await pool.withConnection { connection in
                    try await connection.execute(
                        "UPDATE session_queue SET expires_at = now() + interval '1 day' WHERE status = 'cancelled'")
                    return try await ProvisionedSessions.livePage(on: connection, after: 0, limit: 100, since: nil)
                }
                #expect(drawn.isEmpty)
            }
        }
    }

    @Test("in doubt: selected across statuses; cancelling settles it (no longer counted or listed as in doubt)")
    func inDoubt() async throws {
        try await TestDatabase.withFresh { conninfo in
            let (pending, held, provisioned) = try await TestDatabase.withConnection(conninfo) { db in
                (
                    try await QueueFixtures.insert(db, status: "pending", inDoubt: true, index: 1),
                    try await QueueFixtures.insert(db, status: "held", inDoubt: true, index: 2),
                    try await QueueFixtures.insert(db, status: "provisioned", index: 3)
                )
            }
            _ = try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("UPDATE session_queue SET in_doubt = true WHERE id = $1", [provisioned])
            }
            let listed = try await TestDatabase.withPool(conninfo) { pool in
                try await QueueOperator(pool: pool).rows(in: [.inDoubt])
            }
            #expect(Set(listed.rows.map(\.id)) == [pending, held] && listed.matching == 2)
            let result = try await Self.perform(conninfo, .cancel, .states([.inDoubt]))
            #expect(result.changed.map(\.id) == [pending, held])
            #expect(result.changed.allSatisfy { $0.inDoubt })  // the flag is kept, as a trace
            try await TestDatabase.withPool(conninfo) { pool in
                let listed = try await QueueOperator(pool: pool).rows(in: [.inDoubt])
                #expect(listed.rows.isEmpty)
                let status = try await pool.withConnection { try await QueueStatus.read($0) }
                #expect(status.inDoubt == 0)
            }
        }
    }

    @Test("a row a runner holds locked right now is skipped as busy, not waited for")
    func lockedRowIsBusy() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { locker in
                let id = try await QueueFixtures.insert(locker, status: "failed")
                try await locker.execute("BEGIN")
                _ = try await locker.query("SELECT id FROM session_queue WHERE id = $1 FOR UPDATE", [id])
                let result = try await Self.perform(conninfo, .requeue, .ids([id]))
                #expect(result.changed.isEmpty)
                #expect(result.skipped == [.init(id: id, status: nil, reason: .busy)])
                try await locker.execute("ROLLBACK")
                let after = try await Self.perform(conninfo, .requeue, .ids([id]))
                #expect(after.changed.map(\.id) == [id])
            }
        }
    }

    @Test("rows: the newest first, limited, counted, by --since; no url or token in what it returns")
    func listing() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                for index in 1...5 {
                    try await QueueFixtures.insert(
                        db, status: "failed", lastError: "Veriff said no \(index)", index: index)
                }
                try await QueueFixtures.insert(db, status: "provisioned", index: 6)
                // Changed three days ago (the touch trigger would stamp now() on an UPDATE).
                try await db.execute("ALTER TABLE session_queue DISABLE TRIGGER session_queue_touch")
                try await db.execute(
                    "UPDATE session_queue SET updated_at = now() - interval '3 days' WHERE vendor_data = 'crm-1'")
                try await db.execute("ALTER TABLE session_queue ENABLE TRIGGER session_queue_touch")
            }
            try await TestDatabase.withPool(conninfo) { pool in
                let queue = QueueOperator(pool: pool)
                let page = try await queue.rows(in: [.status(.failed)], limit: 2)
                #expect(page.matching == 5 && page.rows.count == 2)
                #expect(page.rows[0].updatedAt >= page.rows[1].updatedAt)
                let recent = try await queue.rows(
                    in: [.status(.failed)], since: Date().addingTimeInterval(-86_400), limit: 100)
                #expect(recent.matching == 4 && !recent.rows.contains { $0.vendorData == "crm-1" })
                let everything = try await queue.rows(in: QueueRowState.allCases, limit: 100)
                #expect(everything.rows.count == 6)
                let failed = try #require(everything.rows.first { $0.vendorData == "crm-2" })
                #expect(failed.lastError == "Veriff said no 2" && failed.lastErrorCode == "test")
                let text = String(describing: everything)
                for index in 1...6 {
                    #expect(!text.contains(QueueFixtures.token(index)) && !text.contains(QueueFixtures.url(index)))
                    #expect(!text.contains("private.person\(index)@example.com"))
                }
                #expect(!text.contains("Private"))
            }
        }
    }
}
