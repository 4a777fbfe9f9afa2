import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing

@Suite("CLI basics", .timeLimit(.minutes(10)))
struct CLIBasicsTests {
    @Test("--version prints the version and the commit it was built from (or `commit unknown`)")
    func version() async throws {
        let output = try await CLI.run(["--version"])
        #expect(output.status == 0)
        let line = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("0.1.0 (commit "), "\(line)")
        // Built by scripts/test, which records the commit first (scripts/build-info); a plain build says unknown.
        let recorded = try? String(
            contentsOfFile: CLI.packageRoot + "/Sources/provisioner/BuildCommit.swift", encoding: .utf8)
        if let recorded {
            let commit = try #require(recorded.split(separator: "\"").dropFirst().first)
            #expect(line == "0.1.0 (commit \(commit))")
        } else {
            #expect(line == "0.1.0 (commit unknown)")
        }
    }

    @Test("--help lists every subcommand with an abstract, and each subcommand has its own help")
    func help() async throws {
        let output = try await CLI.run(["--help"])
        #expect(output.status == 0)
        let lines = output.stdout.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("SUBCOMMANDS:") })
        let entries = lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var names: [String] = []
        for entry in entries where entry.hasPrefix("  ") && !entry.hasPrefix("        ") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            let name = String(parts[0])
            names.append(name)
            let abstract = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            #expect(abstract.count > 10, "subcommand \(name) has no abstract in --help")
        }
        for expected in ["migrate", "check", "mock-veriff"] {
            #expect(names.contains(expected), "--help does not list \(expected)")
        }
        for name in names {
            let sub = try await CLI.run([name, "--help"])
            #expect(sub.status == 0, "\(name) --help failed: \(sub.stderr)")
            #expect(sub.stdout.contains("USAGE: provisioner \(name)"))
        }
    }

    @Test("migrate against an unreachable database: one line naming host and port, exit 75, no password")
    func migrateUnreachable() async throws {
        let port = try await TestCluster.freePort()
        for url in [
            "postgresql://runner:s3cr3t-Pa55@127.0.0.1:\(port)/provisioner?connect_timeout=5",
            "host=127.0.0.1 port=\(port) dbname=provisioner user=runner password=s3cr3t-Pa55 connect_timeout=5",
        ] {
            let output = try await CLI.run(["migrate"], environment: ["DATABASE_URL": url])
            #expect(output.status == 75)
            let lines = CLI.lines(output.stderr)
            #expect(lines.count == 1, "expected one line, got: \(output.stderr)")
            #expect(lines.first?.contains("127.0.0.1:\(port)") == true, "\(output.stderr)")
            #expect(lines.first?.contains("PostgreSQL unavailable") == true)
            #expect(!output.stderr.contains("s3cr3t-Pa55") && !output.stdout.contains("s3cr3t-Pa55"))
            #expect(output.stdout.isEmpty)
        }
    }

    @Test("migrate applies every migration, then reports the schema up to date; logs are JSON lines")
    func migrateTwice() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            let latest = Migrator(logger: .test).latestVersion
            let first = try await CLI.run(["migrate"], environment: ["DATABASE_URL": conninfo])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("applied migration 1 (session_queue)"))
            #expect(first.stdout.contains("schema is now at version \(latest)"))
            // Standard error is a file here, not a terminal: every log line is one JSON object.
            let logLines = CLI.lines(first.stderr)
            #expect(!logLines.isEmpty)
            for line in logLines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["level"] as? String == "info", "\(line)")
                #expect(object?["label"] as? String == "provisioner.migrate")
            }
            // Numbers are JSON numbers, not strings.
            let firstApplied = try #require(
                try logLines.compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                    .first { $0["message"] as? String == "applied migration" })
            #expect(firstApplied["migration.version"] as? Int == 1, "\(firstApplied)")
            #expect(!(firstApplied["migration.version"] is String))

            let second = try await CLI.run(["migrate"], environment: ["DATABASE_URL": conninfo])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout == "schema is up to date (version \(latest))\n")
            #expect(second.stderr.isEmpty, "nothing to log at info: \(second.stderr)")
        }
    }

    @Test("two migrates at once both succeed and apply each migration once")
    func migrateConcurrently() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            let environment: [String: String?] = ["DATABASE_URL": conninfo, "PROVISIONER_LOG_LEVEL": "error"]
            async let one = CLI.run(["migrate"], environment: environment)
            async let two = CLI.run(["migrate"], environment: environment)
            let outputs = try await [one, two]
            #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.stderr))")
            #expect(outputs.filter { $0.stdout.contains("applied migration 1") }.count == 1)
            let count = try await TestDatabase.withConnection(conninfo) { db in
                try await db.query("SELECT count(*)::int AS n FROM schema_migrations").first?.decode("n", as: Int.self)
            }
            #expect(count == Migrator(logger: .test).migrations.count)
        }
    }

    @Test("a bad --log-level or PROVISIONER_LOG_LEVEL is a usage error naming it")
    func badLogLevel() async throws {
        let flag = try await CLI.run(["migrate", "--log-level", "loud"])
        #expect(flag.status == 64)
        #expect(flag.stderr.contains("--log-level"))
        let variable = try await CLI.run(["migrate"], environment: ["PROVISIONER_LOG_LEVEL": "loud"])
        #expect(variable.status == 64)
        #expect(variable.stderr.contains("PROVISIONER_LOG_LEVEL"))
    }

    @Test("--log-level debug shows debug lines; error hides info")
    func logLevels() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            let quiet = try await CLI.run(["migrate", "--log-level", "error"], environment: ["DATABASE_URL": conninfo])
            #expect(quiet.status == 0)
            #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
            let chatty = try await CLI.run(
                ["migrate", "--log-level", "debug"], environment: ["DATABASE_URL": conninfo])
            #expect(chatty.status == 0)
            #expect(chatty.stderr.contains("\"level\":\"debug\""), "\(chatty.stderr)")
        }
    }
}

@Suite("CLI secrets on the command line and in malformed settings", .timeLimit(.minutes(10)))
struct CLISecretsTests {
    @Test("limiter-probe takes no --database-url (a command line is visible in ps): DATABASE_URL only")
    func limiterProbeHasNoDatabaseFlag() async throws {
        let output = try await CLI.run(["limiter-probe", "--database-url", "postgresql://u:secret@127.0.0.1/db"])
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains("--database-url"), "\(output.stderr)")
        let help = try await CLI.run(["limiter-probe", "--help"])
        #expect(!help.stdout.contains("database-url"))
    }

    @Test(
        "a malformed DATABASE_URL shows no piece of its password",
        arguments: [
            ("postgresql://u:pa@ss_Q@[::1]/db", "pa@ss_Q"),
            ("postgresql://runner:Tr0ub@dor&3@127.0.0.1:1/db", "Tr0ub@dor&3"),
            ("postgresql://runner:se/cr3tPw@127.0.0.1:1/db", "se/cr3tPw"),
            ("postgres//runner:NoColonSecret@127.0.0.1/db", "NoColonSecret"),
            ("host=127.0.0.1 port=1 password=tw0 W0rdz dbname=db", "tw0 W0rdz"),
        ])
    func malformedDatabaseURL(url: String, password: String) async throws {
        let output = try await CLI.run(["status"], environment: ["DATABASE_URL": url])
        #expect(output.status != 0)
        let characters = Array(password)
        for start in 0...max(0, characters.count - 4) {
            let piece = String(characters[start..<min(characters.count, start + 4)])
            #expect(!output.stderr.contains(piece), "\(piece) in: \(output.stderr)")
            #expect(!output.stdout.contains(piece), "\(piece) in: \(output.stdout)")
        }
    }
}
