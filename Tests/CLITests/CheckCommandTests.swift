import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing
import VeriffStandIn

/// `provisioner check` as a process: one good setup, then each check failing on its own.
@Suite("provisioner check", .serialized, .timeLimit(.minutes(10)))
struct CheckCommandTests {
    /// The lines of a check's output, keyed by check name: ("ok", detail).
    static func results(_ stdout: String) -> [String: (status: String, line: String)] {
        var found: [String: (String, String)] = [:]
        for line in CLI.lines(stdout) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2 else { continue }
            found[String(parts[1])] = (String(parts[0]), line)
        }
        return found
    }

    static let checks = ["configuration", "database", "schema", "permissions", "roles", "veriff"]

    /// The environment of a good setup against `conninfo` and the stand-in at `baseURL`.
    static func environment(conninfo: String, baseURL: String) -> [String: String?] {
        ["DATABASE_URL": conninfo, "VERIFF_API_KEY": StandInTesting.apiKey, "VERIFF_BASE_URL": baseURL]
    }

    /// A fresh migrated database with sql/roles.sql applied, and a login role that is a member of the runner role.
    static func withRunnerSetup<T>(_ body: (String) async throws -> T) async throws -> T {
        try await TestDatabase.withFresh { conninfo in
            try await RunnerRole.withLoginRole(in: conninfo) { admin, name in
                try await admin.executeScript(try RunnerRole.rolesSQL())
                try await admin.execute("GRANT provisioner_runner TO \(name)")
            } _: { runnerConninfo in
                try await body(runnerConninfo)
            }
        }
    }

    @Test("a good setup: the runner role from sql/roles.sql and the stand-in pass every check, exit 0")
    func goodSetup() async throws {
        try await Self.withRunnerSetup { conninfo in
            try await withStandIn { standIn in
                let output = try await CLI.run(
                    ["check"], environment: Self.environment(conninfo: conninfo, baseURL: standIn.baseURL))
                #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
                let results = Self.results(output.stdout)
                #expect(CLI.lines(output.stdout).count == Self.checks.count, "\(output.stdout)")
                for name in Self.checks {
                    #expect(results[name]?.status == "ok", "\(name): \(results[name]?.line ?? "missing")")
                }
                #expect(
                    results["veriff"]?.line.contains("plain HTTP to loopback (local stand-in): TLS not applicable")
                        == true)
                #expect(results["permissions"]?.line.contains("has what a run needs") == true)
                #expect(results["permissions"]?.line.contains("superuser") == false)
                #expect(results["permissions"]?.line.contains("note") == false, "\(output.stdout)")
                #expect(
                    results["roles"]?.line.contains(
                        "provisioner_runner has exactly what a run needs; "
                            + "provisioner_webhooks has exactly what the webhook receiver needs") == true,
                    "\(output.stdout)")
                #expect(
                    !output.stdout.contains(StandInTesting.apiKey) && !output.stderr.contains(StandInTesting.apiKey))
                // check never creates a session.
                #expect(standIn.stats().sessionsCreated == 0)
                #expect(standIn.stats().requestsByStatus.isEmpty, "check must never POST")
            }
        }
    }

    @Test("the runner role from sql/roles.sql is enough for a real `run` and for `status`")
    func runnerRoleRunsAndReadsStatus() async throws {
        try await TestDatabase.withFresh { adminConninfo in
            _ = try await TestDatabase.withConnection(adminConninfo) { db in
                try await db.execute(
                    "INSERT INTO session_queue (first_name, vendor_data) SELECT 'Row', 'role-' || n FROM generate_series(1, 5) n"
                )
            }
            try await RunnerRole.withLoginRole(in: adminConninfo) { admin, name in
                try await admin.executeScript(try RunnerRole.rolesSQL())
                try await admin.execute("GRANT provisioner_runner TO \(name)")
            } _: { conninfo in
                try await withStandIn { standIn in
                    let environment = Self.environment(conninfo: conninfo, baseURL: standIn.baseURL)
                    let run = try await CLI.run(["run", "--rate", "6000", "--json"], environment: environment)
                    #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
                    #expect(standIn.stats().sessionsCreated == 5)
                    let status = try await CLI.run(["status", "--json"], environment: environment)
                    #expect(status.status == 0, "\(status.stderr)")
                    #expect(!status.stderr.contains("permission denied"))
                }
                let provisioned = try await TestDatabase.withConnection(adminConninfo) { db in
                    try await db.query("SELECT count(*)::int AS n FROM session_queue WHERE status = 'provisioned'")
                        .first?.decode("n", as: Int.self)
                }
                #expect(provisioned == 5)
            }
        }
    }

    @Test("configuration fails without an API key, with a key that is not a UUID, with a key file others can read")
    func configurationFails() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await withStandIn { standIn in
                var environment = Self.environment(conninfo: conninfo, baseURL: standIn.baseURL)
                environment["VERIFF_API_KEY"] = .some(nil)
                let missing = try await CLI.run(["check"], environment: environment)
                #expect(missing.status == 1)
                #expect(Self.results(missing.stdout)["configuration"]?.status == "FAIL", "\(missing.stdout)")
                #expect(Self.results(missing.stdout)["configuration"]?.line.contains("VERIFF_API_KEY") == true)
                #expect(missing.stderr.contains("check failed: configuration"))
                // The other checks still ran and passed (as postgres, a superuser: with a note).
                #expect(Self.results(missing.stdout)["database"]?.status == "ok")
                #expect(Self.results(missing.stdout)["permissions"]?.line.contains("superuser") == true)

                environment["VERIFF_API_KEY"] = "not-a-uuid-key"
                let notUUID = try await CLI.run(["check"], environment: environment)
                #expect(notUUID.status == 1)
                #expect(Self.results(notUUID.stdout)["configuration"]?.line.contains("not a UUID") == true)
                #expect(!notUUID.stdout.contains("not-a-uuid-key") && !notUUID.stderr.contains("not-a-uuid-key"))

                try await withTemporaryDirectory { directory in
                    let keyFile = directory + "/veriff-api-key"
                    try StandInTesting.apiKey.write(toFile: keyFile, atomically: true, encoding: .utf8)
                    chmod(keyFile, 0o644)
                    environment["VERIFF_API_KEY"] = .some(nil)
                    let readable = try await CLI.run(["check", "--api-key-file", keyFile], environment: environment)
                    #expect(readable.status == 1)
                    #expect(Self.results(readable.stdout)["configuration"]?.line.contains("chmod 600") == true)
                    chmod(keyFile, 0o600)
                    let privateFile = try await CLI.run(["check", "--api-key-file", keyFile], environment: environment)
                    #expect(privateFile.status == 0, "\(privateFile.stdout)")
                }
            }
        }
    }

    @Test("database fails when PostgreSQL cannot be reached; schema and permissions are skipped; no password shown")
    func databaseFails() async throws {
        let port = try await TestCluster.freePort()
        try await withStandIn { standIn in
            let url = "postgresql://runner:pa55-w0rd-x@127.0.0.1:\(port)/provisioner?connect_timeout=5"
            let output = try await CLI.run(
                ["check"], environment: Self.environment(conninfo: url, baseURL: standIn.baseURL))
            #expect(output.status == 1)
            let results = Self.results(output.stdout)
            #expect(results["configuration"]?.status == "ok")
            #expect(results["database"]?.status == "FAIL")
            #expect(results["database"]?.line.contains("127.0.0.1:\(port)") == true)
            #expect(results["schema"]?.status == "skip")
            #expect(results["permissions"]?.status == "skip")
            #expect(results["veriff"]?.status == "ok")
            #expect(!output.stdout.contains("pa55-w0rd-x") && !output.stderr.contains("pa55-w0rd-x"))
        }
    }

    @Test("schema fails when not migrated, when a migration is missing, and when the database is newer")
    func schemaFails() async throws {
        try await withStandIn { standIn in
            try await TestDatabase.withFresh(migrated: false) { conninfo in
                let output = try await CLI.run(
                    ["check"], environment: Self.environment(conninfo: conninfo, baseURL: standIn.baseURL))
                #expect(output.status == 1)
                #expect(Self.results(output.stdout)["schema"]?.status == "FAIL")
                #expect(Self.results(output.stdout)["schema"]?.line.contains("provisioner migrate") == true)
            }
            try await TestDatabase.withFresh { conninfo in
                _ = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.execute("DELETE FROM schema_migrations WHERE version = 1")
                }
                let missing = try await CLI.run(
                    ["check"], environment: Self.environment(conninfo: conninfo, baseURL: standIn.baseURL))
                #expect(missing.status == 1)
                #expect(Self.results(missing.stdout)["schema"]?.line.contains("migration(s) 1 not applied") == true)

                _ = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.execute(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES (1, 'session_queue', 'x'), "
                            + "(999, 'from_the_future', 'x')")
                }
                let newer = try await CLI.run(
                    ["check"], environment: Self.environment(conninfo: conninfo, baseURL: standIn.baseURL))
                #expect(newer.status == 1)
                let line = Self.results(newer.stdout)["schema"]?.line ?? ""
                #expect(line.contains("999") && line.contains("upgrade provisioner"), "\(line)")
                #expect(Self.results(newer.stdout)["database"]?.status == "ok")
            }
        }
    }

    @Test("permissions fail for a role without the grants, and name the one privilege missing")
    func permissionsFail() async throws {
        try await withStandIn { standIn in
            try await TestDatabase.withFresh { conninfo in
                // No grants at all.
                try await RunnerRole.withLoginRole(in: conninfo) { _, _ in
                } _: { roleConninfo in
                    let output = try await CLI.run(
                        ["check"], environment: Self.environment(conninfo: roleConninfo, baseURL: standIn.baseURL))
                    #expect(output.status == 1)
                    let line = Self.results(output.stdout)["permissions"]?.line ?? ""
                    #expect(Self.results(output.stdout)["permissions"]?.status == "FAIL", "\(output.stdout)")
                    #expect(line.contains("SELECT on session_queue") && line.contains("sql/roles.sql"), "\(line)")
                }
                // Everything but UPDATE on session_queue: only that is reported.
                try await RunnerRole.withLoginRole(in: conninfo) { admin, name in
                    try await admin.executeScript(try RunnerRole.rolesSQL())
                    try await admin.execute("GRANT provisioner_runner TO \(name)")
                    try await admin.execute("REVOKE UPDATE ON session_queue FROM provisioner_runner")
                } _: { roleConninfo in
                    let output = try await CLI.run(
                        ["check"], environment: Self.environment(conninfo: roleConninfo, baseURL: standIn.baseURL))
                    #expect(output.status == 1)
                    let results = Self.results(output.stdout)
                    #expect(results["schema"]?.status == "ok")
                    #expect(results["permissions"]?.status == "FAIL")
                    #expect(
                        results["permissions"]?.line.contains("missing UPDATE on session_queue —") == true,
                        "\(results["permissions"]?.line ?? "")")
                }
            }
        }
    }

    @Test("the runner role may UPDATE only the columns a run writes: never an email, a name or a callback")
    func runnerCannotRewriteEndUsers() async throws {
        try await TestDatabase.withFresh { adminConninfo in
            _ = try await TestDatabase.withConnection(adminConninfo) { db in
                try await db.execute(
                    "INSERT INTO session_queue (first_name, email) VALUES ('Jane', 'jane@example.com')")
            }
            try await RunnerRole.withLoginRole(in: adminConninfo) { admin, name in
                try await admin.executeScript(try RunnerRole.rolesSQL())
                try await admin.execute("GRANT provisioner_runner TO \(name)")
            } _: { conninfo in
                try await Self.checkRunnerCannotRewrite(conninfo)
            }
            let email = try await TestDatabase.withConnection(adminConninfo) { db in
                try await db.query("SELECT email FROM session_queue").first?.decode("email", as: String.self)
            }
            #expect(email == "jane@example.com")
        }
    }

    /// Every statement that would change the end-user's fields fails with "permission denied" for `conninfo`'s role.
    static func checkRunnerCannotRewrite(_ conninfo: String) async throws {
        try await TestDatabase.withConnection(conninfo) { db in
            for statement in [
                "UPDATE session_queue SET email = 'attacker@example.com'",
                "UPDATE session_queue SET callback_url = 'https://evil.example'",
                "UPDATE session_queue SET first_name = 'Eve'", "UPDATE session_queue SET vendor_data = 'x'",
                "INSERT INTO session_queue (first_name) VALUES ('x')", "DELETE FROM session_queue",
            ] {
                let error = try await #require(throws: PostgresError.self, "\(statement)") {
                    try await db.execute(statement)
                }
                #expect(error.sqlState == "42501", "\(statement): \(error)")
            }
            // What a run writes still works, renewal of expired sessions (run --renew-expired) included.
            #expect(try await db.execute("UPDATE session_queue SET status = 'held', last_error = 'x'") == 1)
            try await db.execute(
                """
                UPDATE session_queue SET status = 'provisioned', session_id = 's-1', session_url = 'https://x.y/v',
                    provisioned_at = now() - interval '8 days', expires_at = now() - interval '1 day'
                """)
            #expect(try await SessionRenewal.renewExpired(db) == 1)
        }
    }

    @Test("check fails `roles` when the runner may UPDATE more than a run writes (the old table-wide grant)")
    func rolesFailOnTableWideUpdate() async throws {
        try await withStandIn { standIn in
            try await TestDatabase.withFresh { conninfo in
                try await RunnerRole.withLoginRole(in: conninfo) { admin, name in
                    try await admin.executeScript(try RunnerRole.rolesSQL())
                    try await admin.execute("GRANT provisioner_runner TO \(name)")
                    try await admin.execute("GRANT UPDATE ON session_queue TO provisioner_runner")
                    try await admin.execute("REVOKE UPDATE (outcome) ON webhook_events FROM provisioner_webhooks")
                } _: { roleConninfo in
                    let output = try await CLI.run(
                        ["check"], environment: Self.environment(conninfo: roleConninfo, baseURL: standIn.baseURL))
                    #expect(output.status == 1)
                    let results = Self.results(output.stdout)
                    #expect(results["permissions"]?.status == "ok", "\(output.stdout)")
                    #expect(results["permissions"]?.line.contains("may also UPDATE") == true, "\(output.stdout)")
                    let roles = results["roles"]?.line ?? ""
                    #expect(results["roles"]?.status == "FAIL", "\(output.stdout)")
                    #expect(roles.contains("provisioner_runner may also UPDATE") && roles.contains("email"), "\(roles)")
                    #expect(roles.contains("provisioner_webhooks lacks UPDATE (outcome) on webhook_events"), "\(roles)")
                    #expect(roles.contains("sql/roles.sql"))
                }
                // Running sql/roles.sql again narrows the grant back (it revokes the table-wide UPDATE first).
                try await TestDatabase.withConnection(conninfo) { admin in
                    try await admin.executeScript(try RunnerRole.rolesSQL())
                }
                let output = try await CLI.run(
                    ["check"], environment: Self.environment(conninfo: conninfo, baseURL: standIn.baseURL))
                #expect(Self.results(output.stdout)["roles"]?.status == "ok", "\(output.stdout)")
            }
        }
    }

    @Test("veriff fails against a self-signed certificate, and when nothing answers")
    func veriffFails() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await withTemporaryDirectory { directory in
                let openssl = try await Shell.run(
                    "/usr/bin/openssl",
                    [
                        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem",
                    ])
                try #require(openssl.status == 0, "\(openssl.stderr)")
                let server = try ChildProcess.spawn(
                    "/usr/bin/openssl",
                    [
                        "s_server", "-accept", "127.0.0.1:0", "-cert", directory + "/cert.pem",
                        "-key", directory + "/key.pem", "-www",
                    ])
                defer { server.signal(SIGKILL) }
                try #require(await server.waitForOutput(containing: "ACCEPT"), "\(server.stderr())")
                let accept = server.stdout().split(separator: "\n").first { $0.hasPrefix("ACCEPT") } ?? ""
                let port = try #require(accept.split(separator: ":").last.map(String.init))

                let output = try await CLI.run(
                    ["check"], environment: Self.environment(conninfo: conninfo, baseURL: "https://127.0.0.1:\(port)"))
                #expect(output.status == 1)
                let line = Self.results(output.stdout)["veriff"]?.line ?? ""
                #expect(Self.results(output.stdout)["veriff"]?.status == "FAIL")
                #expect(line.contains("certificate not trusted"), "\(line)")
                #expect(Self.results(output.stdout)["database"]?.status == "ok")
                // s_server ignores SIGTERM.
                server.signal(SIGKILL)
                _ = await server.wait()
            }
            let closed = try await TestCluster.freePort()
            let nothing = try await CLI.run(
                ["check", "--tls-timeout", "5"],
                environment: Self.environment(conninfo: conninfo, baseURL: "http://127.0.0.1:\(closed)"))
            #expect(nothing.status == 1)
            #expect(Self.results(nothing.stdout)["veriff"]?.status == "FAIL")
            #expect(
                Self.results(nothing.stdout)["veriff"]?.line.contains("cannot connect") == true,
                "\(nothing.stdout)")
        }
    }
}
