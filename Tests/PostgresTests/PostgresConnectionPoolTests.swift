import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("The connection pool and the reconnect policy", .timeLimit(.minutes(10)))
struct PostgresConnectionPoolTests {
    @Test("Never more connections than the maximum, however many tasks ask at once")
    func boundedConnections() async throws {
        let conninfo = try TestDatabase.adminConninfo()
        try await TestDatabase.withPool(conninfo, maximum: 3) { pool in
            let inUse = InUse()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            inUse.change(by: 1)
                            try await connection.execute("SELECT pg_sleep(0.01)")
                            inUse.change(by: -1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(inUse.most <= 3)
            #expect(inUse.most >= 1)
        }
    }

    @Test("A connection the server ended is dropped; the next lease works on a fresh one")
    func brokenConnectionDropped() async throws {
        let conninfo = try TestDatabase.adminConninfo()
        try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
            let pid: Int = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid")
            try await TestDatabase.withConnection(conninfo) { admin in
                try await admin.execute("SELECT pg_terminate_backend($1)", [pid])
            }
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1 AS one") }
            let fresh: Int = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid")
            #expect(fresh != pid)
        }
    }

    @Test("With a reconnect policy the same statement goes through after the connection was ended")
    func retriesLostConnection() async throws {
        let conninfo = try TestDatabase.adminConninfo()
        try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
            let pid: Int = try await pool.query("SELECT pg_backend_pid() AS pid")[0].decode("pid")
            try await TestDatabase.withConnection(conninfo) { admin in
                try await admin.execute("SELECT pg_terminate_backend($1)", [pid])
            }
            let policy = ReconnectPolicy(firstDelay: .milliseconds(5), giveUpAfter: .seconds(30))
            let rows = try await pool.query("SELECT 1 AS one", retrying: policy)
            #expect(try rows[0].decode("one", as: Int.self) == 1)
        }
    }

    @Test("A server that is gone: the policy gives up with the connection error, a statement error is not retried")
    func givesUp() async throws {
        try await TestDatabase.withPool("host=127.0.0.1 port=1 connect_timeout=2", maximum: 1) { pool in
            let policy = ReconnectPolicy(
                firstDelay: .milliseconds(1), maximumDelay: .milliseconds(2), giveUpAfter: .milliseconds(5))
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1", retrying: policy) }
            #expect(error?.isConnectionProblem == true)
        }
        let conninfo = try TestDatabase.adminConninfo()
        try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT * FROM no_such_table", retrying: .standard)
            }
            #expect(error?.sqlState == "42P01")
        }
    }

    @Test("The policy's delays double up to the maximum and stop at the budget")
    func delays() {
        var delays = ReconnectPolicy(
            firstDelay: .milliseconds(250), maximumDelay: .seconds(1), giveUpAfter: .seconds(3)
        ).delays()
        var seen: [Duration] = []
        while let delay = delays.next() { seen.append(delay) }
        #expect(seen == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(1), .seconds(1)])
        var none = ReconnectPolicy(giveUpAfter: .zero).delays()
        #expect(none.next() == nil)
    }

    @Test("After close, leases fail and no connection is left open")
    func close() async throws {
        let conninfo = try TestDatabase.adminConninfo()
        let pool = PostgresConnectionPool(conninfo: conninfo, maximum: 2, logger: .test)
        _ = try await pool.query("SELECT 1")
        await pool.close()
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
    }
}

/// Connections in use at once, and the most seen.
private final class InUse: Sendable {
    private let counts = Mutex((now: 0, most: 0))

    func change(by delta: Int) {
        counts.withLock {
            $0.now += delta
            $0.most = max($0.most, $0.now)
        }
    }

    var most: Int { counts.withLock { $0.most } }
}
