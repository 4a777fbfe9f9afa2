import Foundation
import Postgres
import TestSupport
import Testing
import VeriffStandIn

/// A malformed connection string or an API key that is not a UUID is a configuration error (exit 64), found before
/// anything connects or is sent; `check` reports them as FAIL lines.
@Suite("configuration errors", .serialized, .timeLimit(.minutes(10)))
struct ConfigurationErrorTests {
    static let malformed = [
        "postgres//oops", "postgresql://runner:pa55word@127.0.0.1:notaport/provisioner", "host=127.0.0.1 bogus=1",
        "host=127.0.0.1 password=pa55 word dbname=x",
    ]

    @Test("a malformed DATABASE_URL: exit 64 with one line naming DATABASE_URL, never the string or its password")
    func malformedConnectionString() async throws {
        try await withStandIn { standIn in
            for url in Self.malformed {
                for arguments in [["migrate"], ["status"], ["rows"], ["requeue", "--status", "failed"], ["run"]] {
                    let output = try await CLI.run(
                        arguments + (arguments == ["run"] ? ["--base-url", standIn.baseURL] : []),
                        environment: ["DATABASE_URL": url, "VERIFF_API_KEY": StandInTesting.apiKey])
                    #expect(output.status == 64, "\(arguments) with \(url): \(output.status) \(output.stderr)")
                    let lines = CLI.lines(output.stderr)
                    #expect(lines.count == 1, "\(output.stderr)")
                    #expect(lines.first?.contains("DATABASE_URL is not a valid PostgreSQL connection string") == true)
                    #expect(
                        !output.stderr.contains(url) && !output.stderr.contains("pa55")
                            && !output.stderr.contains("oops"))
                    #expect(output.stdout.isEmpty)
                }
            }
            #expect(standIn.stats().sessionsCreated == 0)
        }
    }

    @Test("check: a malformed DATABASE_URL is a FAIL configuration line, the database checks are skipped")
    func checkReportsMalformedURL() async throws {
        try await withStandIn { standIn in
            let environment: [String: String?] = [
                "DATABASE_URL": "postgres//oops", "VERIFF_API_KEY": StandInTesting.apiKey,
                "VERIFF_BASE_URL": standIn.baseURL,
            ]
            let output = try await CLI.run(["check"], environment: environment)
            #expect(output.status == 1)
            let results = CheckCommandTests.results(output.stdout)
            #expect(results["configuration"]?.status == "FAIL", "\(output.stdout)")
            #expect(results["configuration"]?.line.contains("DATABASE_URL") == true)
            #expect(results["database"]?.status == "skip" && results["schema"]?.status == "skip")
            #expect(results["veriff"]?.status == "ok")
            #expect(!output.stdout.contains("oops"))
            let json = try await CLI.run(["check", "--json"], environment: environment)
            #expect(json.status == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let checks = try #require(object["checks"] as? [[String: Any]])
            #expect(checks.first?["status"] as? String == "failed" && object["ok"] as? Bool == false)
        }
    }

    @Test("an API key that is not a UUID: run exits 64 before claiming or sending anything; check says FAIL")
    func keyNotUUID() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await QueueFixtures.insert(db, status: "pending")
            }
            try await withStandIn { standIn in
                let environment: [String: String?] = [
                    "DATABASE_URL": conninfo, "VERIFF_API_KEY": "not-a-uuid-key", "VERIFF_BASE_URL": standIn.baseURL,
                ]
                let run = try await CLI.run(["run"], environment: environment)
                #expect(run.status == 64, "\(run.stderr)")
                #expect(run.stderr.contains("not a UUID") && run.stderr.contains("VERIFF_API_KEY"))
                #expect(!run.stderr.contains("not-a-uuid-key") && !run.stdout.contains("not-a-uuid-key"))
                #expect(standIn.stats().sessionsCreated == 0)
                try await TestDatabase.withConnection(conninfo) { db in
                    let runs = try await db.query("SELECT count(*) AS n FROM provisioner_runs")
                    #expect(try runs[0].decode("n", as: Int.self) == 0)
                }
                let check = try await CLI.run(["check"], environment: environment)
                #expect(check.status == 1)
                #expect(CheckCommandTests.results(check.stdout)["configuration"]?.line.contains("not a UUID") == true)
            }
        }
    }
}
