import Foundation
import Postgres
import TestSupport
import Testing
import VeriffStandIn

/// Every command that reports something has `--json`, and what it prints is one JSON object, also when the command
/// exits non-zero for rows (enqueue's invalid rows, check's failed checks).
@Suite("--json on every command", .serialized, .timeLimit(.minutes(10)))
struct JSONOutputTests {
    /// Runs a command and parses its standard output as one JSON object.
    static func object(
        _ arguments: [String], _ environment: [String: String?], status expected: Int32 = 0
    ) async throws -> [String: Any] {
        let output = try await CLI.run(arguments + ["--json"], environment: environment)
        #expect(output.status == expected, "\(arguments): \(output.status) \(output.stderr)")
        let parsed = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        let object = try #require(parsed as? [String: Any], "\(arguments) printed no JSON object: \(output.stdout)")
        return object
    }

    @Test("migrate, check, enqueue, run, status, rows, requeue, hold, cancel, export, qr and renew print JSON")
    func everyCommand() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            try await withStandIn { standIn in
                try await withTemporaryDirectory { directory in
                    let environment: [String: String?] = [
                        "DATABASE_URL": conninfo, "VERIFF_API_KEY": StandInTesting.apiKey,
                        "VERIFF_BASE_URL": standIn.baseURL, "PROVISIONER_LOG_LEVEL": "error",
                    ]
                    let migrated = try await Self.object(["migrate"], environment)
                    #expect((migrated["applied"] as? [[String: Any]])?.first?["version"] as? Int == 1)
                    #expect(
                        migrated["version"] as? Int == (migrated["applied"] as? [[String: Any]])?.last?["version"]
                            as? Int)
                    let again = try await Self.object(["migrate"], environment)
                    #expect((again["applied"] as? [Any])?.isEmpty == true)

                    let check = try await Self.object(["check"], environment)
                    #expect(check["ok"] as? Bool == true)  // as postgres: a superuser is noted, not failed
                    let checks = try #require(check["checks"] as? [[String: Any]])
                    #expect(
                        checks.map { $0["name"] as? String } == [
                            "configuration", "database", "schema", "permissions", "roles", "veriff",
                        ])
                    #expect(
                        checks.allSatisfy { ["passed", "failed", "skipped"].contains($0["status"] as? String ?? "") })

                    let dryEnqueue = try await Self.object(
                        ["enqueue", CLI.sample("end-users.csv"), "--dry-run"], environment, status: 1)
                    #expect(dryEnqueue["invalid"] as? Int == 2 && dryEnqueue["committed"] as? Bool == false)
                    #expect((dryEnqueue["problems"] as? [[String: Any]])?.isEmpty == false)
                    let enqueue = try await Self.object(
                        [
                            "enqueue", CLI.sample("end-users.csv"), "--skip-invalid", "--rejects",
                            directory + "/rejects.csv",
                        ],
                        environment, status: 1)  // 1: the two invalid rows were skipped
                    let enqueued = try #require(enqueue["enqueued"] as? Int)
                    #expect(enqueued > 40 && enqueue["committed"] as? Bool == true)

                    let plan = try await Self.object(["run", "--dry-run", "--rate", "600"], environment)
                    #expect(plan["valid"] as? Int == enqueued && plan["rowsLeft"] as? Int == 0)
                    #expect(plan["finishesAt"] is String)
                    let run = try await Self.object(["run", "--rate", "100000", "--window-seconds", "1"], environment)
                    #expect(run["outcome"] as? String == "completed")
                    #expect((run["counts"] as? [String: Any])?["provisioned"] as? Int == enqueued)

                    let status = try await Self.object(["status"], environment)
                    #expect(((status["queue"] as? [String: Any])?["byStatus"] as? [String: Int])?["cancelled"] == 0)

                    let rows = try await Self.object(["rows", "--status", "provisioned", "--limit", "3"], environment)
                    #expect((rows["rows"] as? [Any])?.count == 3 && rows["matching"] as? Int == enqueued)

                    let first = try #require((rows["rows"] as? [[String: Any]])?.first?["id"] as? Int)
                    let requeue = try await Self.object(["requeue", "--id", "\(first)"], environment, status: 1)
                    #expect((requeue["skipped"] as? [[String: Any]])?.first?["reason"] as? String == "provisioned")
                    let hold = try await Self.object(["hold", "--status", "failed", "--dry-run"], environment)
                    #expect(hold["dryRun"] as? Bool == true)
                    let cancel = try await Self.object(["cancel", "--status", "held"], environment)
                    #expect(cancel["action"] as? String == "cancel")

                    let export = try await Self.object(["export", "--out", directory + "/sessions.csv"], environment)
                    #expect(export["rows"] as? Int == enqueued && export["includesTokens"] as? Bool == false)
                    let qr = try await Self.object(["qr", "--out", directory + "/qr"], environment)
                    #expect(
                        qr["codes"] as? Int == enqueued && (qr["indexPath"] as? String)?.hasSuffix("index.html") == true
                    )

                    let renewDry = try await Self.object(["renew", "--dry-run"], environment)
                    #expect(renewDry["rows"] as? Int == 0 && renewDry["dryRun"] as? Bool == true)
                    let renew = try await Self.object(["renew"], environment)
                    #expect(renew["rows"] as? Int == 0)
                }
            }
        }
    }
}
