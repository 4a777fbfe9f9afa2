import Foundation
import Postgres
import TestSupport
import Testing

/// Error text never carries a row's or a parameter's value, a NUL never reaches libpq, and no piece of a password in
/// a malformed connection string shows up in a message.
@Suite("PostgresError hygiene", .timeLimit(.minutes(10)))
struct PostgresErrorHygieneTests {
    static let secret = "Jane.Secret-Doe@example.com"

    @Test("constraint errors keep SQLSTATE, message and constraint name, never the row (no DETAIL)")
    func constraintErrorsCarryNoRow() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute(
                    "CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE, "
                        + "token text CONSTRAINT people_token_short CHECK (length(token) < 5))")
                try await db.execute("INSERT INTO people (email) VALUES ($1)", [Self.secret])
                let duplicate = try await #require(throws: PostgresError.self) {
                    try await db.execute("INSERT INTO people (email) VALUES ($1)", [Self.secret])
                }
                #expect(duplicate.sqlState == "23505")
                #expect(duplicate.constraint == "people_email_key")
                #expect(duplicate.description.contains("people_email_key"), "\(duplicate)")
                #expect(!duplicate.description.contains(Self.secret), "\(duplicate)")
                #expect(!duplicate.description.contains("Key ("), "\(duplicate)")

                let check = try await #require(throws: PostgresError.self) {
                    try await db.execute(
                        "INSERT INTO people (email, token) VALUES ($1, $2)", ["x@y.z", "tok-SECRET-1"])
                }
                #expect(check.sqlState == "23514")
                #expect(check.constraint == "people_token_short")
                #expect(!check.description.contains("tok-SECRET-1"), "\(check)")
                #expect(!check.description.contains("Failing row"), "\(check)")
            }
        }
    }

    @Test("data exceptions (class 22) keep their words but not the value they quote")
    func dataExceptionsCarryNoValue() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                let uuid = try await #require(throws: PostgresError.self) {
                    try await db.query("SELECT $1::uuid AS u", ["not-a-uuid-" + Self.secret])
                }
                #expect(uuid.sqlState == "22P02")
                #expect(uuid.message.contains("invalid input syntax for type uuid"), "\(uuid)")
                #expect(!uuid.description.contains(Self.secret), "\(uuid)")

                let range = try await #require(throws: PostgresError.self) {
                    try await db.query("SELECT $1::int AS i", ["98765432109876"])
                }
                #expect(range.sqlState == "22003")
                #expect(!range.description.contains("98765432109876"), "\(range)")

                let date = try await #require(throws: PostgresError.self) {
                    try await db.query("SELECT $1::date AS d", ["1990-02-31-" + Self.secret])
                }
                #expect(!date.description.contains(Self.secret), "\(date)")
            }
        }
    }

    @Test("a NUL in a text parameter or in COPY data is refused before libpq, never cut silently")
    func nulIsRefused() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute("CREATE TABLE t (value text)")
                let error = try await #require(throws: PostgresError.self) {
                    try await db.execute("INSERT INTO t VALUES ($1)", ["before\u{0}after"])
                }
                #expect(error.isInvalidParameter)
                #expect(!error.isConnectionProblem)
                #expect(error.description.contains("parameter $1") && error.description.contains("NUL"), "\(error)")
                #expect(!error.description.contains("before"), "\(error)")
                // Nothing was inserted (libpq would have stored "before").
                #expect(try await db.query("SELECT count(*)::int AS n FROM t").first?.decode("n", as: Int.self) == 0)
                // In an array parameter too.
                await #expect(throws: PostgresError.self) {
                    try await db.execute("INSERT INTO t SELECT unnest($1::text[])", [["ok", "x\u{0}y"]])
                }
                let copy = try await #require(throws: PostgresError.self) {
                    try await db.copyIn("COPY t (value) FROM STDIN") { writer in
                        try await writer.write("fine\n")
                        try await writer.write("bad\u{0}value\n")
                    }
                }
                #expect(copy.isInvalidParameter, "\(copy)")
                #expect(try await db.query("SELECT count(*)::int AS n FROM t").first?.decode("n", as: Int.self) == 0)
                // The connection is still usable.
                try await db.execute("INSERT INTO t VALUES ($1)", ["fine"])
            }
        }
    }

    /// Malformed connection strings and the password in each: no 4-character piece of it may show up.
    static let malformed: [(conninfo: String, password: String)] = [
        ("postgresql://u:pa@ss_Q@[::1]/db", "pa@ss_Q"),
        ("postgresql://runner:Tr0ub@dor&3@127.0.0.1:1/db", "Tr0ub@dor&3"),
        ("postgresql://runner:se/cr3t@127.0.0.1:1/db", "se/cr3t"),
        ("postgresql://runner:qu?ery@127.0.0.1:1/db", "qu?ery"),
        ("postgresql://runner:sp ace@127.0.0.1:1/db", "sp ace"),
        ("postgresql://runner:bad%zzpct@127.0.0.1:1/db", "bad%zzpct"),
        ("postgresql://runner:ipv6Secret@[::1/db", "ipv6Secret"),
        ("postgresql://runner:c0lon:pass@127.0.0.1:1/db", "c0lon:pass"),
        ("postgres//runner:NoColonSecret@127.0.0.1/db", "NoColonSecret"),
        ("host=127.0.0.1 port=1 password=tw0 W0rdz dbname=db", "tw0 W0rdz"),
        ("host=127.0.0.1 port=1 password='Qu0tEd S3cr3t dbname=db", "Qu0tEd S3cr3t"),
        ("host=127.0.0.1 port=1 password=Plain-Secret-9 bogus", "Plain-Secret-9"),
        ("postgresql://127.0.0.1:1/db?password=QuerySecret&sslmode=bogus", "QuerySecret"),
    ]

    /// The 4-character pieces of `password` (its whole when shorter).
    static func pieces(_ password: String) -> [String] {
        let characters = Array(password)
        guard characters.count > 4 else { return [password] }
        return (0...(characters.count - 4)).map { String(characters[$0..<$0 + 4]) }
    }

    @Test("no piece of the password survives in describe(), or in the error of connecting with a malformed string")
    func malformedConnectionStrings() async throws {
        for (conninfo, password) in Self.malformed {
            let place = ConnectionString.describe(conninfo)
            let error = try await #require(throws: PostgresError.self) {
                try await PostgresConnection.connect(conninfo + (conninfo.contains("://") ? "" : " connect_timeout=2"))
            }
            for piece in Self.pieces(password) {
                #expect(!place.contains(piece), "describe(\(conninfo)) = \(place)")
                #expect(!error.description.contains(piece), "connect(\(conninfo)): \(error)")
            }
        }
    }

    @Test("well-formed strings are still described in full")
    func wellFormedDescriptions() {
        #expect(
            ConnectionString.describe("postgresql://runner:pw@db.internal:5433/prov")
                == "db.internal:5433/prov as runner")
        #expect(ConnectionString.describe("host=db port=5432 dbname=x user=u password=p") == "db:5432/x as u")
        #expect(
            ConnectionString.describe("postgresql://db.internal/prov?user=nightly") == "db.internal/prov as nightly")
        #expect(ConnectionString.describe("postgresql://u:pa@ss_Q@[::1]/db") == "::1/db")
        #expect(ConnectionString.describe("host=db user=alice@corp dbname=x") == "db/x as alice@corp")
        #expect(ConnectionString.describe("host=/var/run/postgresql port=5432") == "/var/run/postgresql:5432")
    }
}
