import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing

@Suite("migrations", .timeLimit(.minutes(10)))
struct MigratorTests {
    @Test("migrating twice, and twice at once, leaves one correct schema")
    func idempotentAndConcurrent() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            let migrator = Migrator(logger: .test)
            // Two at once: the advisory lock serialises them; each file is applied exactly once.
            async let first = TestDatabase.withConnection(conninfo) { try await migrator.migrate($0) }
            async let second = TestDatabase.withConnection(conninfo) { try await migrator.migrate($0) }
            let applied = try await [first, second]
            #expect(applied.flatMap { $0 }.sorted() == migrator.migrations.map(\.version))
            // And once more, later: nothing to do.
            let again = try await TestDatabase.withConnection(conninfo) { try await migrator.migrate($0) }
            #expect(again.isEmpty)
            try await TestDatabase.withConnection(conninfo) { db in
                let count = try await db.query("SELECT count(*) AS n FROM schema_migrations").first?.decode(
                    "n", as: Int.self)
                #expect(count == migrator.migrations.count)
                #expect(try await Migrator.currentVersion(db) == migrator.latestVersion)
            }
        }
    }

    @Test("an applied migration that was edited afterwards is refused")
    func editedMigration() async throws {
        try await TestDatabase.withFresh { conninfo in
            var changed = Migration.embedded
            changed[0].sql += "\n-- edited"
            let migrator = Migrator(migrations: changed, logger: .test)
            await #expect(throws: MigrationError.self) {
                try await TestDatabase.withConnection(conninfo) { try await migrator.migrate($0) }
            }
        }
    }

    @Test("a failing migration rolls back its own file only")
    func failingMigration() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            let broken =
                Migration.embedded + [
                    Migration(version: 999, name: "broken", sql: "CREATE TABLE half (a int); SELECT 1/0;")
                ]
            await #expect(throws: PostgresError.self) {
                try await TestDatabase.withConnection(conninfo) {
                    try await Migrator(migrations: broken, logger: .test).migrate($0)
                }
            }
            try await TestDatabase.withConnection(conninfo) { db in
                #expect(try await Migrator.currentVersion(db) == Migrator(logger: .test).latestVersion)
                let half = try await db.query("SELECT to_regclass('half') IS NULL AS gone").first
                #expect(try half?.decode("gone", as: Bool.self) == true)
            }
        }
    }

    @Test("sql/ and the embedded migrations agree (run scripts/gen-migrations after editing sql/)")
    func embeddedMatchesFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sqlDirectory = root.appendingPathComponent("sql")
        let files = try FileManager.default.contentsOfDirectory(atPath: sqlDirectory.path)
            .filter { $0.range(of: #"^\d{3}_.*\.sql$"#, options: .regularExpression) != nil }.sorted()
        #expect(files.count == Migration.embedded.count)
        for (file, migration) in zip(files, Migration.embedded) {
            let text = try String(contentsOf: sqlDirectory.appendingPathComponent(file), encoding: .utf8)
            #expect(
                migration.sql.trimmingCharacters(in: .whitespacesAndNewlines)
                    == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(file)")
        }
    }
}

@Suite("session_queue schema", .timeLimit(.minutes(10)))
struct SchemaTests {
    @Test("a plain SQL insert of three fields is a valid pending row")
    func plainInsert() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute(
                    "INSERT INTO session_queue (first_name, last_name, email) VALUES ('Mari', 'Maasikas', 'mari@example.ee')"
                )
                let row = try #require(
                    try await db.query("SELECT status, attempts, next_attempt_at <= now() AS due FROM session_queue")
                        .first)
                #expect(try row.decode("status") == "pending")
                #expect(try row.decode("attempts") == 0)
                #expect(try row.decode("due") == true)
            }
        }
    }

    @Test(
        "CHECK constraints reject impossible data",
        arguments: [
            "INSERT INTO session_queue (gender) VALUES ('X')",
            "INSERT INTO session_queue (document_country) VALUES ('est')",
            "INSERT INTO session_queue (document_type) VALUES ('VISA')",
            "INSERT INTO session_queue (document_number) VALUES ('AB 12')",
            "INSERT INTO session_queue (date_of_birth) VALUES ('1990-02-30')",
            "INSERT INTO session_queue (end_user_id) VALUES ('not-a-uuid')",
            "INSERT INTO session_queue (callback_url) VALUES ('http://example.com')",
            "INSERT INTO session_queue (vendor_data) VALUES (repeat('x', 1001))",
            "INSERT INTO session_queue (consents) VALUES ('{\"type\": \"ine\"}')",
            "INSERT INTO session_queue (status) VALUES ('done')",
            "INSERT INTO session_queue (status) VALUES ('provisioned')",
            "INSERT INTO session_queue (email) VALUES ('no-at-sign')",
        ])
    func constraints(statement: String) async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                let error = try await #require(throws: PostgresError.self) { try await db.execute(statement) }
                #expect(["23514", "22008", "22P02", "22007"].contains(error.sqlState ?? ""), "\(error)")
            }
        }
    }

    @Test("the claim query uses the partial index")
    func claimUsesPartialIndex() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute(
                    "INSERT INTO session_queue (first_name, status) SELECT 'x', CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'provisioned' END FROM generate_series(1, 20000) g WHERE g % 10 = 0"
                )
                try await db.execute("ANALYZE session_queue")
                try await db.execute("SET enable_seqscan = off")
                let plan = try await db.query(
                    "EXPLAIN SELECT id FROM session_queue WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT 50 FOR UPDATE SKIP LOCKED"
                ).map { try $0.decode(at: 0, as: String.self) }.joined(separator: "\n")
                #expect(plan.contains("session_queue_claimable"), "\(plan)")
            }
        }
    }
}
