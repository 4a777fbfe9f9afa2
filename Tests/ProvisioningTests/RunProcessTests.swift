import Foundation
import Postgres
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

#if canImport(Glibc)
    import Glibc
#endif

/// The real `provisioner run` binary as operations staff run it: signals, kill -9, several runners at once.
@Suite("provisioner run as a process", .timeLimit(.minutes(10)))
struct RunProcessTests {
    private func runProcess(_ conninfo: String, _ standIn: VeriffStandIn, _ arguments: [String]) throws -> ChildProcess
    {
        try ChildProcess.spawn(
            RunHarness.binary, ["run", "--base-url", standIn.baseURL] + arguments,
            environment: RunHarness.environment(conninfo: conninfo))
    }

    @Test("SIGTERM mid-run: in-flight requests finish, exits 130, nothing in doubt, nothing left claimed")
    func sigterm() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                // 1,000 rows at 60/s: still mid-run when the signal comes, however slow the machine is to start it.
                try await RunHarness.insertRows(db, count: 1000)
                var configuration = StandInTesting.configuration()
                configuration.latencyMean = .milliseconds(300)
                try await withStandIn(configuration) { standIn in
                    let run = try runProcess(
                        conninfo, standIn, ["--rate", "60", "--window-seconds", "1", "--timeout", "3"])
                    try await RunHarness.waitForSessions(standIn, atLeast: 5)
                    run.signal(SIGTERM)
                    let status = await run.wait()
                    #expect(status == 130, "\(run.stderr())")
                    // How fast it stops is the machine's business; that it let in-flight requests finish instead of
                    // abandoning them at the end of the grace period is not: nothing may be in doubt (below).
                    let counts = try await RunHarness.statusCounts(db)
                    #expect(counts["claimed"] == nil)
                    #expect((counts["provisioned"] ?? 0) > 0)
                    #expect((counts["provisioned"] ?? 0) == standIn.stats().sessionsCreated)
                    let doubt = try await db.query("SELECT count(*) AS n FROM session_queue WHERE in_doubt")
                    #expect(try doubt[0].decode("n", as: Int.self) == 0)
                    let run0 = try await db.query("SELECT outcome FROM provisioner_runs")
                    #expect(try run0[0].decode("outcome") == "interrupted")
                }
            }
        }
    }

    @Test(
        "kill -9 mid-run, then a second run: every row provisioned; only rows the dead runner held were sent twice, each marked"
    )
    func killNine() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                // 1,000 rows at 100/s: the first run is still busy when it is killed, however slow the machine is.
                try await RunHarness.insertRows(db, count: 1000)
                var configuration = StandInTesting.configuration()
                configuration.latencyMean = .milliseconds(200)
                try await withStandIn(configuration) { standIn in
                    let concurrency = 8
                    let first = try runProcess(
                        conninfo, standIn,
                        ["--rate", "100", "--window-seconds", "1", "--concurrency", "\(concurrency)"])
                    try await RunHarness.waitForSessions(standIn, atLeast: 30)
                    first.signal(SIGKILL)
                    let killedStatus = await first.wait()
                    #expect(killedStatus == 128 + SIGKILL)
                    let claimed = try await RunHarness.statusCounts(db)["claimed"] ?? 0
                    #expect(claimed > 0)
                    // No waiting for the 5-minute lease: the next run on this host sees the runner's process is gone.
                    let second = try runProcess(conninfo, standIn, ["--rate", "6000", "--window-seconds", "1"])
                    let secondStatus = await second.wait()
                    #expect(secondStatus == 0, "\(second.stderr())")
                    #expect(try await RunHarness.statusCounts(db) == ["provisioned": 1000])

                    // Sessions created twice: vendorData (the row id where the row had none) seen twice at Veriff.
                    // Only rows the dead runner still held can be sent twice: those in flight, and those answered but
                    // not yet written back (results are written in batches every 50 ms). Each must be marked.
                    let duplicated = Self.duplicatedVendorData(standIn.stats())
                    #expect(duplicated.count <= claimed)
                    let unmarked = try await db.query(
                        """
                        SELECT count(*) AS n FROM session_queue
                        WHERE coalesce(vendor_data, id::text) = ANY($1::text[]) AND NOT in_doubt
                        """, [duplicated])
                    #expect(try unmarked[0].decode("n", as: Int.self) == 0, "duplicates not marked in doubt")
                    let rescued = try await db.query(
                        "SELECT count(*) AS n FROM session_attempts WHERE outcome = 'rescued'")
                    #expect(try rescued[0].decode("n", as: Int.self) == claimed)
                    let crashed = try await db.query(
                        "SELECT count(*) AS n FROM provisioner_runs WHERE outcome = 'running'")
                    #expect(try crashed[0].decode("n", as: Int.self) == 1)  // the killed one never said goodbye
                }
            }
        }
    }

    static func duplicatedVendorData(_ stats: StandInStats) -> [String] {
        var seen: [String: Int] = [:]
        for session in stats.sessions ?? [] { seen[session.session.vendorData ?? "", default: 0] += 1 }
        return seen.filter { $0.value > 1 }.map(\.key)
    }

    @Test("two runners at once on one queue: no row sent twice")
    func twoRunners() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 1500)
                try await withStandIn { standIn in
                    let arguments = ["--rate", "100000", "--window-seconds", "1"]
                    let runners = try (0..<2).map { _ in try runProcess(conninfo, standIn, arguments) }
                    for runner in runners {
                        let status = await runner.wait()
                        #expect(status == 0, "\(runner.stderr())")
                    }
                    let stats = standIn.stats()
                    #expect(stats.sessionsCreated == 1500)
                    #expect(stats.duplicateVendorData == 0)
                    #expect(try await RunHarness.statusCounts(db) == ["provisioned": 1500])
                    let perRunner = try await db.query("SELECT provisioned FROM provisioner_runs")
                    #expect(try perRunner.map { try $0.decode("provisioned", as: Int.self) }.reduce(0, +) == 1500)
                }
            }
        }
    }

    @Test("three runners share one cap (120 per 10 s): no 429, no window over the cap, nothing sent twice")
    func threeRunnersShareTheCap() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 330)
                try await withStandIn(StandInTesting.configuration(cap: 120, window: .seconds(10))) { standIn in
                    // The default 2% headroom: a 98% target, and room for late wake-ups on a busy machine.
                    let arguments = ["--rate", "120", "--window-seconds", "10"]
                    let runners = try (0..<3).map { _ in try runProcess(conninfo, standIn, arguments) }
                    for runner in runners {
                        let status = await runner.wait()
                        #expect(status == 0, "\(runner.stderr())")
                    }
                    let stats = standIn.stats()
                    #expect(stats.requests(status: 429) == 0)
                    #expect(stats.sessionsCreated == 330)
                    #expect(stats.maxSessionsInAnyWindow <= 120)
                    #expect(stats.duplicateVendorData == 0)
                    // The share of the cap the three use together depends on the machine's speed: it is measured by
                    // `scripts/bench runners`, not asserted here.
                }
            }
        }
    }

    @Test("run --renew-expired gives rows whose session expired undecided a new session, keeping the old id")
    func renewExpired() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 6)
                try await withStandIn { standIn in
                    let arguments = ["--rate", "6000", "--window-seconds", "1"]
                    let first = try runProcess(conninfo, standIn, arguments)
                    let firstStatus = await first.wait()
                    #expect(firstStatus == 0, "\(first.stderr())")
                    // Seven days pass: four sessions expire unopened, one was approved, one is still fresh.
                    try await db.execute(
                        """
                        UPDATE session_queue SET expires_at = now() - interval '1 hour',
                            provisioned_at = now() - interval '7 days 1 hour' WHERE id <= 5
                        """)
                    try await db.execute("UPDATE session_queue SET session_status = 'approved' WHERE id = 5")
                    let before = try await db.query("SELECT id, session_id FROM session_queue ORDER BY id")
                    let old = try before.map { try $0.decode("session_id", as: String.self) }

                    let second = try runProcess(conninfo, standIn, arguments + ["--renew-expired"])
                    let secondStatus = await second.wait()
                    #expect(secondStatus == 0, "\(second.stderr())")
                    let after = try await db.query(
                        "SELECT id, status, session_id, previous_session_ids, renewed_count FROM session_queue ORDER BY id"
                    )
                    for (index, row) in after.enumerated() {
                        #expect(try row.decode("status") == "provisioned")
                        let renewed = index < 4
                        let previous: [String] = try row.decode("previous_session_ids")
                        #expect(previous == (renewed ? [old[index]] : []), "row \(index + 1)")
                        #expect((try row.decode("session_id", as: String.self) != old[index]) == renewed)
                        #expect(try row.decode("renewed_count", as: Int.self) == (renewed ? 1 : 0))
                    }
                    #expect(standIn.stats().sessionsCreated == 10)
                }
            }
        }
    }

    @Test("--dry-run plans without changing anything; --json and --metrics-file report the run for machines")
    func dryRunJSONAndMetrics() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 12)
                try await db.execute(
                    "INSERT INTO session_queue (first_name, date_of_birth) VALUES ('Later', '2999-01-01')")
                try await withStandIn { standIn in
                    let plan = try await Shell.run(
                        RunHarness.binary, ["run", "--dry-run", "--tier", "enterprise"],
                        environment: RunHarness.environment(conninfo: conninfo))
                    #expect(plan.status == 0, "\(plan.stderr)")
                    #expect(plan.stdout.contains("12 would be sent, 1 would be marked invalid"), "\(plan.stdout)")
                    #expect(plan.stdout.contains("dateOfBirth"))
                    #expect(try await RunHarness.statusCounts(db) == ["pending": 13])
                    #expect(standIn.stats().requestsByStatus.isEmpty)

                    let metrics = NSTemporaryDirectory() + "provisioner-\(UUID().uuidString).prom"
                    defer { try? FileManager.default.removeItem(atPath: metrics) }
                    let run = try runProcess(
                        conninfo, standIn,
                        ["--rate", "6000", "--window-seconds", "1", "--json", "--metrics-file", metrics])
                    let status = await run.wait()
                    #expect(status == 1, "one invalid row: exit 1; \(run.stderr())")
                    let summary = try JSONSerialization.jsonObject(with: Data(run.stdout().utf8)) as? [String: Any]
                    let counts = summary?["counts"] as? [String: Any]
                    #expect(summary?["outcome"] as? String == "rows_failed")
                    #expect(counts?["provisioned"] as? Int == 12)
                    #expect(counts?["invalid"] as? Int == 1)
                    let text = try String(contentsOfFile: metrics, encoding: .utf8)
                    #expect(text.contains("provisioner_run_rows{result=\"provisioned\"} 12"))
                    #expect(text.contains("provisioner_run_exit_code 1"))
                    #expect(text.contains("# TYPE provisioner_run_duration_seconds gauge"))
                }
            }
        }
    }

    @Test("an unmigrated database: one line saying to run migrate, exit 64, for run and status")
    func unmigratedDatabase() async throws {
        try await TestDatabase.withFresh(migrated: false) { conninfo in
            for command in ["run", "status"] {
                let result = try await Shell.run(
                    RunHarness.binary, [command], environment: RunHarness.environment(conninfo: conninfo))
                #expect(result.status == 64, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("provisioner migrate"), "\(command): \(result.stderr)")
            }
        }
    }

    @Test("bad command lines and configuration give one clear line and exit 64")
    func usageErrors() async throws {
        let cases: [([String], String)] = [
            (["run", "--max-duration", "soon"], "--max-duration"),
            (["run", "--tier", "gold"], "tier"),
            (["run", "--rate", "-5"], "rate"),
            (["run", "--concurrency", "0"], "--concurrency"),
        ]
        for (arguments, mention) in cases {
            let result = try await Shell.run(
                RunHarness.binary, arguments, environment: ["VERIFF_API_KEY": StandInTesting.apiKey])
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
        }
        let noKey = try await Shell.run(
            RunHarness.binary, ["run"], environment: ["VERIFF_API_KEY": nil, "DATABASE_URL": "host=127.0.0.1 port=1"])
        #expect(noKey.status == 64, "\(noKey.stderr)")
        #expect(noKey.stderr.contains("VERIFF_API_KEY"), "\(noKey.stderr)")
    }
}
