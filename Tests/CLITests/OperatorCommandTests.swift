import Foundation
import Postgres
import TestSupport
import Testing
import VeriffStandIn

/// `rows`, `requeue`, `hold` and `cancel` as processes, as an operator runs them.
@Suite("operator commands", .timeLimit(.minutes(10)))
struct OperatorCommandTests {
    static func environment(_ conninfo: String) -> [String: String?] {
        ["DATABASE_URL": conninfo, "PROVISIONER_LOG_LEVEL": "warning"]
    }

    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(text)")
    }

    @Test("rows --json and rows never show a session token or url, nor the end-user's personal data")
    func rowsNeverShowTokens() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                var index = 0
                for status in ["pending", "claimed", "provisioned", "failed", "invalid", "held", "cancelled"] {
                    for inDoubt in [false, true] {
                        index += 1
                        try await QueueFixtures.insert(
                            db, status: status, inDoubt: inDoubt, lastError: "error \(index)", index: index)
                    }
                }
            }
            let every = [
                "--status", "pending", "--status", "claimed", "--status", "provisioned", "--status", "failed",
                "--status", "invalid", "--status", "held", "--status", "cancelled", "--in-doubt",
            ]
            for arguments in [["rows", "--json"], ["rows", "--json"] + every, ["rows"] + every, ["rows"]] {
                let output = try await CLI.run(arguments, environment: Self.environment(conninfo))
                #expect(output.status == 0, "\(arguments): \(output.stderr)")
                for index in 1...14 {
                    for secret in [QueueFixtures.token(index), QueueFixtures.url(index), "SECRET", "private.person"] {
                        #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret), "\(arguments)")
                    }
                }
                #expect(!output.stdout.contains("Private") && !output.stdout.contains("Person"))
            }
            let all = try Self.json(
                try await CLI.run(["rows", "--json"] + every, environment: Self.environment(conninfo)).stdout)
            #expect(all["matching"] as? Int == 14)
            let rows = try #require(all["rows"] as? [[String: Any]])
            #expect(rows.count == 14)
            let keys = Set(rows.flatMap(\.keys))
            #expect(
                keys.isSubset(of: [
                    "id", "status", "inDoubt", "attempts", "lastError", "lastErrorCode", "nextAttemptAt", "vendorData",
                    "updatedAt", "claimedBy", "leaseExpiresAt",
                ]), "\(keys)")
            // The default: failed, held and in doubt (not settled: neither provisioned nor cancelled).
            let defaults = try Self.json(
                try await CLI.run(["rows", "--json"], environment: Self.environment(conninfo)).stdout)
            let statuses = try #require(defaults["rows"] as? [[String: Any]]).map {
                "\($0["status"] ?? "")/\($0["inDoubt"] as? Bool ?? false)"
            }
            #expect(
                Set(statuses) == [
                    "failed/false", "failed/true", "held/false", "held/true", "pending/true", "claimed/true",
                    "invalid/true",
                ], "\(statuses)")
            #expect(defaults["states"] as? [String] == ["failed", "held", "in-doubt"])
        }
    }

    @Test("requeue, hold and cancel never touch a row claimed by a live runner; they say so and exit 1")
    func liveClaimNeverTouched() async throws {
        try await TestDatabase.withFresh { conninfo in
            let (live, failed) = try await TestDatabase.withConnection(conninfo) { db in
                (
                    try await QueueFixtures.insert(db, status: "claimed", inDoubt: true, index: 1),
                    try await QueueFixtures.insert(db, status: "failed", index: 2)
                )
            }
            for command in ["requeue", "hold", "cancel"] {
                for selection in [["--id", "\(live)"], ["--status", "claimed"], ["--in-doubt"]] {
                    let output = try await CLI.run([command] + selection, environment: Self.environment(conninfo))
                    #expect(output.status == 1, "\(command) \(selection): \(output.stdout) \(output.stderr)")
                    #expect(
                        output.stdout.contains("row \(live) (claimed): claimed by a live runner"), "\(output.stdout)")
                    let json = try Self.json(
                        try await CLI.run([command, "--json"] + selection, environment: Self.environment(conninfo))
                            .stdout)
                    #expect((json["changed"] as? [Any])?.isEmpty == true)
                    let skipped = try #require(json["skipped"] as? [[String: Any]])
                    #expect(skipped.first?["reason"] as? String == "claimed_by_live_runner")
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
                let log = try await db.query("SELECT count(*) AS n FROM session_attempts WHERE queue_id = $1", [live])
                #expect(try log[0].decode("n", as: Int.self) == 0)
            }
            // The other row is moved as asked, each time recorded with who (database role and OS user) and when.
            let hold = try await CLI.run(
                ["hold", "--id", "\(failed)", "--json"], environment: Self.environment(conninfo))
            #expect(hold.status == 0, "\(hold.stderr)")
            let result = try Self.json(hold.stdout)
            #expect(result["action"] as? String == "hold" && result["databaseUser"] as? String == "postgres")
            #expect((result["actor"] as? String)?.contains("@") == true)
            let changed = try #require((result["changed"] as? [[String: Any]])?.first)
            #expect(changed["from"] as? String == "failed" && changed["to"] as? String == "held")
            try await TestDatabase.withConnection(conninfo) { db in
                let held = try await QueueFixtures.state(db, id: failed)
                #expect(held?.status == "held")
                let log = try #require(
                    try await db.query(
                        "SELECT outcome, database_user, actor, previous_status FROM session_attempts WHERE queue_id = $1",
                        [failed]
                    ).first)
                #expect(try log.decode("outcome", as: String.self) == "held")
                #expect(try log.decode("database_user", as: String.self) == "postgres")
                #expect(try log.decode("previous_status", as: String.self) == "failed")
            }
        }
    }

    @Test("while a real run holds rows, requeue, hold and cancel of them change nothing, and the run provisions them")
    func realRunnerClaims() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await db.execute(
                    """
                    INSERT INTO session_queue (first_name, last_name, email)
                    SELECT 'First' || g, 'Last' || g, 'user' || g || '@example.com' FROM generate_series(1, 24) g
                    """)
            }
            var configuration = StandInTesting.configuration()
            configuration.latencyMean = .seconds(2)
            try await withStandIn(configuration) { standIn in
                let run = try ChildProcess.spawn(
                    CLI.binary,
                    [
                        "run", "--base-url", standIn.baseURL, "--rate", "6000", "--window-seconds", "1",
                        "--concurrency", "4",
                    ],
                    environment: [
                        "DATABASE_URL": conninfo, "VERIFF_API_KEY": StandInTesting.apiKey,
                        "PROVISIONER_LOG_LEVEL": "warning",
                    ])
                // Wait until the runner holds rows.
                var claimed: [Int64] = []
                let deadline = ContinuousClock.now + .seconds(60)
                while claimed.isEmpty && ContinuousClock.now < deadline {
                    claimed = try await TestDatabase.withConnection(conninfo) { db in
                        try await db.query("SELECT id FROM session_queue WHERE status = 'claimed' ORDER BY id")
                            .map { try $0.decode("id", as: Int64.self) }
                    }
                    if claimed.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(!claimed.isEmpty, "the run claimed nothing: \(run.stderr())")
                var liveSkips = 0
                for command in ["cancel", "hold", "requeue"] {
                    for selection in [["--status", "claimed"], ["--id"] + claimed.map(String.init)] {
                        let output = try await CLI.run(
                            [command, "--json"] + selection, environment: Self.environment(conninfo))
                        let result = try Self.json(output.stdout)
                        #expect((result["changed"] as? [Any])?.isEmpty == true, "\(command): \(output.stdout)")
                        let reasons = (result["skipped"] as? [[String: Any]] ?? []).compactMap {
                            $0["reason"] as? String
                        }
                        // Claimed by the live runner, or written back by it (provisioned, or changing right then).
                        #expect(
                            reasons.allSatisfy { ["claimed_by_live_runner", "provisioned", "busy"].contains($0) },
                            "\(reasons)")
                        liveSkips += reasons.filter { $0 == "claimed_by_live_runner" }.count
                    }
                }
                #expect(liveSkips > 0)
                let status = await run.wait()
                #expect(status == 0, "\(run.stderr())")
                try await TestDatabase.withConnection(conninfo) { db in
                    let rows = try await db.query("SELECT status, count(*) AS n FROM session_queue GROUP BY status")
                    #expect(rows.count == 1)
                    #expect(try rows.first?.decode("status", as: String.self) == "provisioned")
                    let operatorLines = try await db.query(
                        "SELECT count(*) AS n FROM session_attempts WHERE outcome IN ('requeued', 'held', 'cancelled')")
                    #expect(try operatorLines[0].decode("n", as: Int.self) == 0)
                }
            }
        }
    }

    @Test("requeue --dry-run changes nothing; cancel then requeue; the text output says what changed")
    func dryRunAndText() async throws {
        try await TestDatabase.withFresh { conninfo in
            let ids = try await TestDatabase.withConnection(conninfo) { db in
                [
                    try await QueueFixtures.insert(db, status: "failed", index: 1),
                    try await QueueFixtures.insert(db, status: "held", inDoubt: true, index: 2),
                ]
            }
            let dry = try await CLI.run(
                ["requeue", "--status", "failed", "--status", "held", "--dry-run"],
                environment: Self.environment(conninfo))
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("dry run: nothing changed"))
            #expect(dry.stdout.contains("would requeue 2 rows"), "\(dry.stdout)")
            try await TestDatabase.withConnection(conninfo) { db in
                let notChanged = try await QueueFixtures.state(db, id: ids[0])
                #expect(notChanged?.status == "failed")
            }
            let cancel = try await CLI.run(
                ["cancel", "--id", "\(ids[0])", "\(ids[1])", "--reason", "duplicate customer"],
                environment: Self.environment(conninfo))
            #expect(cancel.status == 0, "\(cancel.stderr)")
            #expect(
                cancel.stdout.contains("cancelled 2 rows (failed → cancelled: 1, held → cancelled: 1)"),
                "\(cancel.stdout)")
            let requeue = try await CLI.run(
                ["requeue", "--status", "cancelled"], environment: Self.environment(conninfo))
            #expect(requeue.status == 0, "\(requeue.stderr)")
            #expect(
                requeue.stdout.contains("row \(ids[1]): cancelled → pending (in doubt cleared)"), "\(requeue.stdout)")
            try await TestDatabase.withConnection(conninfo) { db in
                for id in ids { #expect(try await QueueFixtures.state(db, id: id)?.status == "pending") }
                let reasons = try await db.query(
                    "SELECT message FROM session_attempts WHERE outcome = 'cancelled' ORDER BY queue_id")
                #expect(
                    try reasons.allSatisfy { try $0.decode("message", as: String.self).contains("duplicate customer") })
            }
            let missing = try await CLI.run(["hold", "--id", "424242"], environment: Self.environment(conninfo))
            #expect(missing.status == 1)
            #expect(missing.stdout.contains("row 424242: no such row"), "\(missing.stdout)")
        }
    }

    @Test("bad values are usage errors (exit 64) that name the option, before anything connects")
    func badValues() async throws {
        let environment: [String: String?] = ["DATABASE_URL": "host=127.0.0.1 port=1 connect_timeout=1"]
        let cases: [([String], String)] = [
            (["rows", "--limit", "0"], "--limit"),
            (["rows", "--limit", "10001"], "--limit"),
            (["rows", "--status", "bogus"], "--status"),
            (["rows", "--since", "last tuesday"], "--since"),
            (["rows", "--since", "99999999999d"], "--since"),
            (["requeue"], "--id"),
            (["requeue", "--id", "1", "--status", "failed"], "not both"),
            (["hold", "--status", "provisioned"], "provisioned"),
            (["cancel", "--id", "0"], "--id"),
            (["cancel", "--id", "x"], "--id"),
            (["requeue", "--id", "1", "--reason", String(repeating: "x", count: 501)], "--reason"),
            (["run", "--progress-interval", "1ms"], "--progress-interval"),
        ]
        for (arguments, mention) in cases {
            let output = try await CLI.run(arguments, environment: environment)
            #expect(output.status == 64, "\(arguments): \(output.status) \(output.stderr)")
            #expect(output.stderr.contains(mention), "\(arguments): \(output.stderr)")
            #expect(output.stdout.isEmpty)
        }
    }
}
