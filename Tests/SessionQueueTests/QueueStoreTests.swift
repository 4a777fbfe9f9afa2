import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing
import VeriffAPI

/// The run's queue statements, straight against PostgreSQL: claims, leases, rescue and the write-back of every
/// outcome. (The run's integration tests cover them end to end; these pin each statement's own contract.)
@Suite("The queue store against PostgreSQL", .timeLimit(.minutes(10)))
struct QueueStoreTests {
    /// Inserts `count` pending rows due now, with plain SQL as a company's systems would.
    static func insert(_ db: PostgresConnection, count: Int, dueIn seconds: Double = 0) async throws {
        try await db.execute(
            """
            INSERT INTO session_queue (first_name, last_name, email, next_attempt_at)
            SELECT 'First' || g, 'Last' || g, 'user' || g || '@example.com', now() + $2 * interval '1 second'
            FROM generate_series(1, $1) g
            """, [count, seconds])
    }

    /// One row's bookkeeping columns.
    struct Row: Equatable {
        var status: String
        var attempts: Int
        var claimedBy: String?
        var inDoubt: Bool
        var sessionID: String?
        var sessionToken: String?
        var lastError: String?
        var lastErrorCode: String?
        var dueInSeconds: Double

        static func read(_ db: PostgresConnection, id: Int64) async throws -> Row {
            let row = try #require(
                try await db.query(
                    """
                    SELECT status, attempts, claimed_by, in_doubt, session_id, session_token, last_error,
                           last_error_code, extract(epoch FROM next_attempt_at - now())::float8 AS due_in
                    FROM session_queue WHERE id = $1
                    """, [id]
                ).first)
            return Row(
                status: try row.decode("status"), attempts: try row.decode("attempts"),
                claimedBy: try row.decode("claimed_by"), inDoubt: try row.decode("in_doubt"),
                sessionID: try row.decode("session_id"), sessionToken: try row.decode("session_token"),
                lastError: try row.decode("last_error"), lastErrorCode: try row.decode("last_error_code"),
                dueInSeconds: try row.decode("due_in"))
        }
    }

    @Test("Eight runners claiming at once get disjoint rows, and together every due row exactly once")
    func claimUnderContention() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 600)
                try await Self.insert(db, count: 20, dueIn: 3600)  // not due: never claimed
            }
            let claimed = try await withThrowingTaskGroup(of: (String, [Int64]).self) { group in
                for runner in 0..<8 {
                    group.addTask {
                        try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
                            let store = QueueStore(pool: pool, runnerID: "host:\(runner):x")
                            var mine: [Int64] = []
                            while case let rows = try await store.claim(limit: 17, lease: .seconds(60)), !rows.isEmpty {
                                mine += rows.map(\.id)
                                #expect(rows.allSatisfy { $0.attempts == 1 && !$0.inDoubt })
                            }
                            return (store.runnerID, mine)
                        }
                    }
                }
                var all: [(String, [Int64])] = []
                for try await result in group { all.append(result) }
                return all
            }
            let ids = claimed.flatMap(\.1)
            #expect(ids.count == 600)
            #expect(Set(ids).count == 600, "no row claimed twice")
            try await TestDatabase.withConnection(conninfo) { db in
                for (runner, mine) in claimed where !mine.isEmpty {
                    let holders = try await db.query(
                        "SELECT DISTINCT claimed_by FROM session_queue WHERE id = ANY($1::bigint[])", [mine])
                    #expect(try holders.map { try $0.decode("claimed_by", as: String.self) } == [runner])
                }
                let notDue = try await db.query(
                    "SELECT count(*) AS n FROM session_queue WHERE status = 'pending'"
                ).first?.decode("n", as: Int.self)
                #expect(notDue == 20)
            }
        }
    }

    @Test("Claims follow next_attempt_at, then id; the counts and the next due time agree")
    func claimOrderAndCounts() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 3)
                try await db.execute(
                    "UPDATE session_queue SET next_attempt_at = now() - interval '1 hour' WHERE id = 3")
                try await Self.insert(db, count: 1, dueIn: 90)
            }
            try await TestDatabase.withPool(conninfo) { pool in
                let store = QueueStore(pool: pool, runnerID: "h:1:a")
                #expect(try await store.dueCount() == 3)
                #expect(try await store.pendingCount() == 4)
                #expect(try await store.claim(limit: 10, lease: .seconds(60)).map(\.id) == [3, 1, 2])
                #expect(try await store.dueCount() == 0)
                let next = try #require(try await store.nextDueIn())
                #expect(next > .seconds(60) && next <= .seconds(90))
            }
        }
    }

    @Test("Every outcome is written back as it should be, and only by the runner holding the row")
    func writeBackOfEveryOutcome() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 8)
                try await TestDatabase.withPool(conninfo) { pool in
                    let store = QueueStore(pool: pool, runnerID: "h:1:a")
                    let rows = try await store.claim(limit: 8, lease: .seconds(60))
                    #expect(rows.map(\.id) == Array(1...8))
                    // Row 8 was taken over by another runner (its lease expired and was rescued and re-claimed).
                    try await db.execute("UPDATE session_queue SET claimed_by = 'other:2:b' WHERE id = 8")
                    let attempt = { (id: Int64, outcome: String) in
                        AttemptRecord(
                            outcome: outcome, attemptNumber: 1, startedAt: Date().timeIntervalSince1970,
                            durationMilliseconds: 12, httpStatus: 201, sessionID: id == 1 ? "sess-1" : nil)
                    }
                    let session = CreatedSession(
                        id: "sess-1", url: "https://example.veriff.me/v/1", host: "https://example.veriff.me",
                        sessionToken: "token-1")
                    let results = [
                        RowResult(rowID: 1, disposition: .provisioned(session), attempt: attempt(1, "created")),
                        RowResult(
                            rowID: 2, disposition: .failed(code: "1102", message: "missing"),
                            attempt: attempt(2, "rejected")),
                        RowResult(
                            rowID: 3, disposition: .invalid(reason: "email: bad"), attempt: attempt(3, "invalid")),
                        RowResult(
                            rowID: 4, disposition: .retry(after: .seconds(30), code: "http_503", message: "busy"),
                            inDoubt: true, attempt: attempt(4, "in_doubt")),
                        RowResult(
                            rowID: 5, disposition: .rateLimited(after: .seconds(10)),
                            attempt: attempt(5, "rate_limited")),
                        RowResult(rowID: 6, disposition: .held(message: "in doubt; held"), inDoubt: true),
                        RowResult(rowID: 7, disposition: .released),
                        RowResult(
                            rowID: 8, disposition: .failed(code: nil, message: "late"), attempt: attempt(8, "rejected")),
                    ]
                    #expect(try await store.record(results, runID: nil) == 7, "row 8 belongs to another runner")

                    let provisioned = try await Row.read(db, id: 1)
                    #expect(provisioned.status == "provisioned" && provisioned.sessionID == "sess-1")
                    #expect(provisioned.sessionToken == "token-1" && provisioned.claimedBy == nil)
                    #expect(provisioned.lastError == nil && provisioned.attempts == 1)

                    let failed = try await Row.read(db, id: 2)
                    #expect(
                        failed.status == "failed" && failed.lastErrorCode == "1102" && failed.lastError == "missing")

                    let invalid = try await Row.read(db, id: 3)
                    #expect(invalid.status == "invalid" && invalid.lastErrorCode == "invalid")

                    let retry = try await Row.read(db, id: 4)
                    #expect(retry.status == "pending" && retry.inDoubt && retry.attempts == 1)
                    #expect(retry.dueInSeconds > 25 && retry.dueInSeconds <= 30)

                    let limited = try await Row.read(db, id: 5)
                    #expect(limited.status == "pending" && limited.attempts == 0, "a 429 refunds the attempt")
                    #expect(limited.lastErrorCode == "rate_limited" && limited.dueInSeconds > 5)

                    let held = try await Row.read(db, id: 6)
                    #expect(held.status == "held" && held.inDoubt && held.lastErrorCode == "in_doubt")

                    let released = try await Row.read(db, id: 7)
                    #expect(released.status == "pending" && released.attempts == 0 && released.claimedBy == nil)

                    let foreign = try await Row.read(db, id: 8)
                    #expect(foreign.status == "claimed" && foreign.claimedBy == "other:2:b", "not overwritten")

                    // Every attempt is logged, also the one whose row was not ours (its session stays traceable).
                    let logged = try await db.query(
                        "SELECT queue_id, outcome FROM session_attempts ORDER BY queue_id")
                    #expect(try logged.map { try $0.decode("queue_id", as: Int64.self) } == [1, 2, 3, 4, 5, 8])
                }
            }
        }
    }

    @Test("Expired leases are rescued as in doubt (pending, or held), and logged; live leases are left alone")
    func rescue() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 6)
                try await TestDatabase.withPool(conninfo) { pool in
                    let dead = QueueStore(pool: pool, runnerID: "h:1:dead")
                    let alive = QueueStore(pool: pool, runnerID: "h:2:alive")
                    _ = try await dead.claim(limit: 4, lease: .seconds(60))
                    _ = try await alive.claim(limit: 2, lease: .seconds(60))
                    try await db.execute(
                        "UPDATE session_queue SET lease_expires_at = now() - interval '1 second' WHERE claimed_by = $1",
                        ["h:1:dead"])
                    try await db.execute("UPDATE session_queue SET vendor_data = 'crm-1' WHERE id = 1")

                    let rescuer = QueueStore(pool: pool, runnerID: "h:3:new")
                    #expect(try await rescuer.rescueExpiredLeases(hold: false, runID: nil) == 4)
                    #expect(try await rescuer.rescueExpiredLeases(hold: false, runID: nil) == 0, "once only")
                    let first = try await Row.read(db, id: 1)
                    #expect(first.status == "pending" && first.inDoubt && first.lastErrorCode == "in_doubt")
                    #expect(first.lastError?.contains("vendorData crm-1") == true)
                    #expect(first.attempts == 1, "the lost attempt counts")
                    let second = try await Row.read(db, id: 2)
                    #expect(second.lastError?.contains("vendorData 2") == true, "the row id stands in for vendorData")
                    for id: Int64 in [5, 6] {
                        #expect(try await Row.read(db, id: id).claimedBy == "h:2:alive")
                    }
                    let rescued = try await db.query(
                        "SELECT count(*) AS n FROM session_attempts WHERE outcome = 'rescued'"
                    ).first?.decode("n", as: Int.self)
                    #expect(rescued == 4)

                    // With --hold-in-doubt they wait for a person instead.
                    try await db.execute(
                        "UPDATE session_queue SET lease_expires_at = now() - interval '1 second' WHERE claimed_by = $1",
                        ["h:2:alive"])
                    #expect(try await rescuer.rescueExpiredLeases(hold: true, runID: nil) == 2)
                    #expect(try await Row.read(db, id: 5).status == "held")
                }
            }
        }
    }

    @Test("Leases of dead runners on this host end at once; other hosts and live processes keep theirs")
    func deadLocalRunners() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 3)
                try await TestDatabase.withPool(conninfo) { pool in
                    _ = try await QueueStore(pool: pool, runnerID: "here:999999:a").claim(limit: 1, lease: .seconds(60))
                    _ = try await QueueStore(pool: pool, runnerID: "here:1:b").claim(limit: 1, lease: .seconds(60))
                    _ = try await QueueStore(pool: pool, runnerID: "there:999999:c").claim(
                        limit: 1, lease: .seconds(60))
                    let store = QueueStore(pool: pool, runnerID: "here:\(getpid()):me")
                    let freed = try await store.expireLeasesOfDeadLocalRunners(host: "here") { pid in pid == 1 }
                    #expect(freed == 1)
                    #expect(try await store.rescueExpiredLeases(hold: false, runID: nil) == 1)
                    #expect(try await Row.read(db, id: 1).status == "pending")
                    #expect(try await Row.read(db, id: 2).claimedBy == "here:1:b")
                    #expect(try await Row.read(db, id: 3).claimedBy == "there:999999:c")
                }
            }
        }
    }

    @Test("Released claims go back to pending with the attempt refunded; renewing extends only our leases")
    func releaseAndRenew() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 3)
                try await TestDatabase.withPool(conninfo) { pool in
                    let store = QueueStore(pool: pool, runnerID: "h:1:a")
                    let rows = try await store.claim(limit: 3, lease: .seconds(5))
                    #expect(try await store.renewLeases(lease: .seconds(600)) == 3)
                    let lease = try await db.query(
                        "SELECT min(extract(epoch FROM lease_expires_at - now()))::float8 AS s FROM session_queue"
                    ).first?.decode("s", as: Double.self)
                    #expect((lease ?? 0) > 500)
                    #expect(try await QueueStore(pool: pool, runnerID: "h:2:b").release(rows.map(\.id)) == 0)
                    #expect(try await store.release(rows.map(\.id)) == 3)
                    let row = try await Row.read(db, id: 1)
                    #expect(row.status == "pending" && row.attempts == 0 && row.claimedBy == nil)
                }
            }
        }
    }

    @Test("A statement whose connection was killed runs again on a fresh connection")
    func reconnects() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await Self.insert(db, count: 2)
                try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
                    let store = QueueStore(
                        pool: pool, runnerID: "h:1:a",
                        reconnect: ReconnectPolicy(firstDelay: .milliseconds(10), giveUpAfter: .seconds(60)))
                    #expect(try await store.dueCount() == 2)
                    let ended = try await db.query(
                        """
                        SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                        """)
                    #expect(ended.count == 1, "the pool's one connection was ended")
                    #expect(try await store.claim(limit: 5, lease: .seconds(60)).count == 2)
                }
            }
        }
    }
}
