import Foundation
import Postgres
import TestSupport
import Testing

@Suite("PostgresConnection against the real test cluster", .timeLimit(.minutes(10)))
struct PostgresConnectionTests {
    @Test("every supported type round-trips, NULL included")
    func typesRoundTrip() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                let id = UUID()
                let when = Date(timeIntervalSince1970: 1_764_515_506.123456)
                let rows = try await db.query(
                    """
                    SELECT $1::text AS t, $2::int AS i, $3::bigint AS b, $4::bool AS yes, $5::bool AS no,
                           $6::timestamptz AS ts, $7::uuid AS u, $8::jsonb AS j, $9::float8 AS d,
                           $10::text[] AS arr, $11::text AS null_text, $12::bigint AS null_int
                    """,
                    [
                        "hello", 42, Int64.max, true, false, when, id, PostgresJSON(#"{"a": [1, "x"]}"#), 2.5,
                        ["a", "b c", "quote\"", "back\\slash", ""], String?.none, Int64?.none,
                    ])
                let row = try #require(rows.first)
                #expect(try row.decode("t") == "hello")
                #expect(try row.decode("i") == 42)
                #expect(try row.decode("b") == Int64.max)
                #expect(try row.decode("yes") == true)
                #expect(try row.decode("no") == false)
                let decoded: Date = try row.decode("ts")
                #expect(abs(decoded.timeIntervalSince(when)) < 0.000_001)
                #expect(try row.decode("u") == id)
                #expect(try row.decode("j", as: PostgresJSON.self).text == #"{"a": [1, "x"]}"#)
                #expect(try row.decode("d") == 2.5)
                #expect(try row.decode("arr", as: [String].self) == ["a", "b c", "quote\"", "back\\slash", ""])
                #expect(try row.decode("null_text", as: String?.self) == nil)
                #expect(try row.decode("null_int", as: Int64?.self) == nil)
                #expect(row.isNull("null_text"))
                #expect(throws: PostgresError.self) { try row.decode("null_text", as: String.self) }
                #expect(throws: PostgresError.self) { try row.decode("t", as: Int.self) }
                #expect(throws: PostgresError.self) { try row.decode("missing", as: String.self) }
            }
        }
    }

    /// A text value with a short name, so test output does not print 100 KB.
    struct TextCase: CustomTestStringConvertible, Sendable {
        let name: String
        let value: String
        var testDescription: String { name }
    }

    @Test(
        "unicode and large text survive a table round trip",
        arguments: [
            TextCase(name: "scripts, emoji, right-to-left", value: "é ß 中文 😀👩‍👩‍👧 עברית مرحبا"),
            TextCase(name: "100 KB ASCII", value: String(repeating: "x", count: 100 * 1024)),
            TextCase(name: "120 KB of CJK and emoji", value: String(repeating: "中😀", count: 20_000)),
            TextCase(name: "control characters", value: "tab\tnewline\ncr\rbackslash\\quote'\""),
        ])
    func textRoundTrip(_ textCase: TextCase) async throws {
        let value = textCase.value
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("CREATE TABLE t (v text)")
                try await db.execute("INSERT INTO t (v) VALUES ($1)", [value])
                let back: String = try #require(try await db.query("SELECT v FROM t").first).decode("v")
                #expect(back == value)
            }
        }
    }

    @Test("timestamps before 1970 and with offsets decode to the same instant")
    func timestampsDecode() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                let row = try #require(
                    try await db.query(
                        "SELECT '1969-07-20 20:17:40+00'::timestamptz AS moon, '2026-11-30 17:00:00+02'::timestamptz AS t"
                    ).first)
                #expect(try row.decode("moon", as: Date.self).timeIntervalSince1970 == -14_182_940)
                #expect(try row.decode("t", as: Date.self).timeIntervalSince1970 == 1_796_050_800)
            }
        }
    }

    @Test("a unique violation reports SQLSTATE 23505, the message and the statement, not the values")
    func uniqueViolation() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("CREATE TABLE u (email text UNIQUE)")
                try await db.execute("INSERT INTO u VALUES ($1)", ["secret-value@example.com"])
                let error = try await #require(throws: PostgresError.self) {
                    try await db.execute("INSERT INTO u VALUES ($1)", ["secret-value@example.com"])
                }
                #expect(error.sqlState == "23505")
                #expect(error.isUniqueViolation)
                #expect(error.message.contains("duplicate key"))
                #expect(error.statement == "INSERT INTO u VALUES ($1)")
                #expect(!error.isConnectionProblem)
                // The connection is still usable after a statement error.
                #expect(try await db.query("SELECT count(*) AS n FROM u").first?.decode("n", as: Int.self) == 1)
            }
        }
    }

    @Test("a transaction commits on return and rolls back on throw")
    func transactions() async throws {
        struct Boom: Error {}
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("CREATE TABLE t (v int)")
                try await db.transaction { db in try await db.execute("INSERT INTO t VALUES (1)") }
                await #expect(throws: Boom.self) {
                    try await db.transaction { db in
                        try await db.execute("INSERT INTO t VALUES (2)")
                        throw Boom()
                    }
                }
                await #expect(throws: PostgresError.self) {
                    try await db.transaction { db in
                        try await db.execute("INSERT INTO t VALUES (3)")
                        try await db.execute("INSERT INTO t VALUES ('not a number')")
                    }
                }
                let values = try await db.query("SELECT v FROM t ORDER BY v").map { try $0.decode("v", as: Int.self) }
                #expect(values == [1])
            }
        }
    }

    @Test("COPY FROM STDIN loads 100,000 rows with awkward values exactly")
    func copyIn() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("CREATE TABLE c (n int, v text)")
                let copied = try await db.copyIn("COPY c (n, v) FROM STDIN") { writer in
                    for n in 0..<100_000 {
                        let value: String? = n % 10 == 0 ? nil : "row \(n)\tcol\nline\\é中"
                        try await writer.write(CopyText.row([String(n), value]))
                    }
                }
                #expect(copied == 100_000)
                let stats = try #require(
                    try await db.query("SELECT count(*) AS n, count(v) AS nonnull, sum(n) AS total FROM c").first)
                #expect(try stats.decode("n", as: Int.self) == 100_000)
                #expect(try stats.decode("nonnull", as: Int.self) == 90_000)
                #expect(try stats.decode("total", as: Int64.self) == 4_999_950_000)
                let sample = try #require(try await db.query("SELECT v FROM c WHERE n = 12345").first)
                #expect(try sample.decode("v", as: String.self) == "row 12345\tcol\nline\\é中")
            }
        }
    }

    @Test("a COPY that fails part-way keeps nothing and says why")
    func copyFailure() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("CREATE TABLE c (n int)")
                let error = try await #require(throws: PostgresError.self) {
                    try await db.copyIn("COPY c (n) FROM STDIN") { writer in
                        try await writer.write("1\n2\nthree\n")
                    }
                }
                #expect(error.sqlState == "22P02")
                #expect(try await db.query("SELECT count(*) AS n FROM c").first?.decode("n", as: Int.self) == 0)
            }
        }
    }

    @Test("a server restart under an open connection gives a clear error, and reconnect recovers")
    func serverRestart() async throws {
        let cluster = try await TestCluster.start()
        do {
            try await restartScenario(cluster)
            await cluster.destroy()
        } catch {
            await cluster.destroy()
            throw error
        }
    }

    private func restartScenario(_ cluster: TestCluster) async throws {
        let db = try await PostgresConnection.connect(cluster.conninfo, logger: .test)
        #expect(try await db.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
        try await cluster.restart()
        let error = try await #require(throws: PostgresError.self) { try await db.query("SELECT 1 AS one") }
        #expect(error.isConnectionProblem)
        #expect(await db.isConnected == false)
        try await db.reconnect()
        #expect(try await db.query("SELECT 2 AS two").first?.decode("two", as: Int.self) == 2)
        await db.close()
        await #expect(throws: PostgresError.self) { try await db.query("SELECT 1") }
    }

    @Test("a refused login names the problem and never the password")
    func badPassword() async throws {
        let cluster = try await TestCluster.start()
        do {
            try await badPasswordScenario(cluster)
            await cluster.destroy()
        } catch {
            await cluster.destroy()
            throw error
        }
    }

    private func badPasswordScenario(_ cluster: TestCluster) async throws {
        // Require passwords for TCP logins, then try a wrong one.
        let admin = try await PostgresConnection.connect(cluster.conninfo, logger: .test)
        try await admin.execute("ALTER USER postgres PASSWORD 'right-horse-battery'")
        try await admin.execute("ALTER SYSTEM SET password_encryption = 'scram-sha-256'")
        await admin.close()
        let hba = cluster.directory + "/data/pg_hba.conf"
        try "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n".write(
            toFile: hba, atomically: true, encoding: .utf8)
        try await cluster.restart()
        let secret = "Wrong-Pa55word-xyz"
        for conninfo in [
            "host=127.0.0.1 port=\(cluster.port) user=postgres password=\(secret) dbname=postgres",
            "postgresql://postgres:\(secret)@127.0.0.1:\(cluster.port)/postgres",
            "postgresql://postgres:\(secret)@127.0.0.1:\(cluster.port)/postgres?sslmode=bogus",
        ] {
            let error = try await #require(throws: PostgresError.self) {
                try await PostgresConnection.connect(conninfo, logger: .test)
            }
            #expect(error.isConnectionProblem)
            #expect(!error.description.contains(secret), "\(error)")
            #expect(!error.description.isEmpty)
        }
        let unreachable = try await #require(throws: PostgresError.self) {
            try await PostgresConnection.connect("host=127.0.0.1 port=1 connect_timeout=2", logger: .test)
        }
        #expect(unreachable.description.contains("refused") || unreachable.description.contains("failed"))
    }
}
