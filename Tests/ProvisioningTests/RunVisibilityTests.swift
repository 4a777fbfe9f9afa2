import Foundation
import Postgres
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

/// Watching a run from outside: the metrics file while it works, JSON log lines with numbers, the `run finished`
/// event, progress that honours `--limit`, and a dry run that honours `--max-duration`.
@Suite("watching a run", .serialized, .timeLimit(.minutes(10)))
struct RunVisibilityTests {
    /// The value of a metric line `name value` (no labels) or `name{labels} value`.
    static func metric(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("the metrics file is rewritten while the run works (in progress, counters so far), then holds the summary")
    func liveMetrics() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 80)
                var configuration = StandInTesting.configuration()
                configuration.latencyMean = .milliseconds(100)
                try await withStandIn(configuration) { standIn in
                    let directory = NSTemporaryDirectory() + "metrics-\(UUID().uuidString)"
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    defer { try? FileManager.default.removeItem(atPath: directory) }
                    let path = directory + "/provisioner.prom"
                    var environment = RunHarness.environment(conninfo: conninfo)
                    environment["PROVISIONER_LOG_LEVEL"] = "info"
                    // 10 sessions a second, 40 of the 80 rows: about four seconds of work.
                    let run = try ChildProcess.spawn(
                        RunHarness.binary,
                        [
                            "run", "--base-url", standIn.baseURL, "--rate", "10", "--window-seconds", "1", "--limit",
                            "40", "--metrics-file", path, "--progress-interval", "200ms",
                        ], environment: environment)
                    // Read the file while the run works: in progress, with rows provisioned so far.
                    var seenInProgress: String?
                    let deadline = ContinuousClock.now + .seconds(60)
                    while ContinuousClock.now < deadline {
                        if let text = try? String(contentsOfFile: path, encoding: .utf8),
                            Self.metric(text, "provisioner_run_in_progress") == 1,
                            let provisioned = Self.metric(text, "provisioner_run_rows{result=\"provisioned\"}"),
                            provisioned > 0, provisioned < 40
                        {
                            seenInProgress = text
                            break
                        }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let status = await run.wait()
                    #expect(status == 0, "\(run.stderr())")
                    let live = try #require(seenInProgress, "never saw the run in progress in \(path)")
                    #expect(Self.metric(live, "provisioner_run_progress_total") == 40)  // --limit, not the 80 due
                    #expect(Self.metric(live, "provisioner_run_sent") ?? 0 > 0)
                    #expect(Self.metric(live, "provisioner_run_eta_seconds") != nil)
                    #expect(live.contains("# TYPE provisioner_run_in_progress gauge"))

                    let final = try String(contentsOfFile: path, encoding: .utf8)
                    #expect(Self.metric(final, "provisioner_run_in_progress") == 0)
                    #expect(Self.metric(final, "provisioner_run_rows{result=\"provisioned\"}") == 40)
                    #expect(Self.metric(final, "provisioner_run_exit_code") == 0)
                    #expect(Self.metric(final, "provisioner_queue_pending") == 40)
                    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
                    #expect(leftovers == ["provisioner.prom"], "temporary files left: \(leftovers)")

                    // The log: JSON lines whose numbers are JSON numbers; progress towards 40; a final summary event.
                    let events = Self.jsonLines(run.stderr())
                    let progress = events.filter { $0["message"] as? String == "progress" }
                    #expect(!progress.isEmpty, "\(run.stderr())")
                    for event in progress {
                        #expect(event["run.total"] as? Int == 40, "\(event)")
                        #expect(event["run.done"] is NSNumber && !(event["run.done"] is String), "\(event)")
                    }
                    #expect(progress.contains { $0["run.eta_seconds"] is NSNumber })
                    let finished = try #require(events.first { $0["message"] as? String == "run finished" })
                    #expect(finished["rows.provisioned"] as? Int == 40)
                    #expect(finished["rows.pending_left"] as? Int == 40)
                    #expect(finished["run.outcome"] as? String == "completed")
                    #expect(finished["run.seconds"] is NSNumber)
                    let started = try #require(events.first { $0["message"] as? String == "run started" })
                    #expect(started["rows.due"] as? Int == 80 && started["rows.total"] as? Int == 40)
                }
            }
        }
    }

    @Test("run --dry-run with --max-duration: how many would be sent in time, when it ends, how many are left")
    func dryRunDeadline() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 100)
            }
            let environment = RunHarness.environment(conninfo: conninfo)
            // 60 a minute (half of 120); 30 s less the 10 s left for requests in flight (the 9 s timeout + 1 s).
            let arguments = [
                "run", "--dry-run", "--rate", "120", "--headroom", "0.5", "--max-duration", "30s", "--timeout", "9",
            ]
            let output = try await Shell.run(RunHarness.binary, arguments + ["--json"], environment: environment)
            #expect(output.status == 0, "\(output.stderr)")
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            #expect(plan["valid"] as? Int == 100)
            #expect(plan["wouldSend"] as? Int == 20)
            #expect(plan["rowsLeft"] as? Int == 80)
            #expect((plan["maxDurationSeconds"] as? NSNumber)?.doubleValue == 30)
            let finishes = try #require(plan["finishesAt"] as? String)
            let formatter = ISO8601DateFormatter()
            let end = try #require(formatter.date(from: finishes))
            #expect(end.timeIntervalSinceNow > 0 && end.timeIntervalSinceNow < 60)

            let text = try await Shell.run(RunHarness.binary, arguments, environment: environment)
            #expect(text.stdout.contains("only 20 would be sent in time, 80 stay pending"), "\(text.stdout)")
            #expect(text.stdout.contains("pending rows left after the run: 80"))
            #expect(text.stdout.contains("finishing around"))

            let limited = try await Shell.run(
                RunHarness.binary, ["run", "--dry-run", "--rate", "600", "--limit", "10", "--json"],
                environment: environment)
            let limitedPlan = try #require(
                try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as? [String: Any])
            #expect(limitedPlan["dueNow"] as? Int == 10 && limitedPlan["dueTotal"] as? Int == 100)
            #expect(limitedPlan["wouldSend"] as? Int == 10 && limitedPlan["rowsLeft"] as? Int == 90)
        }
    }

    @Test("run --dry-run plans at the cap learned from Veriff's 429s for this integration, and says so")
    func dryRunLearnedCap() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 100)
                // What a run that met 429s at 30 a minute under a configured 600 leaves in the shared row.
                try await db.execute(
                    """
                    INSERT INTO rate_limiter_state
                        (key, configured_cap, headroom, window_us, learned_cap, learned_at, learned_until)
                    VALUES ($1, 600, 0.02, 60000000, 30, now(), now() + interval '1 day')
                    """, ["key:" + APIKey(StandInTesting.apiKey).fingerprint])
            }
            let environment = RunHarness.environment(conninfo: conninfo)
            let shared = try await Shell.run(
                RunHarness.binary, ["run", "--dry-run", "--rate", "600", "--json"], environment: environment)
            #expect(shared.status == 0, "\(shared.stderr)")
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(shared.stdout.utf8)) as? [String: Any])
            let rate = try #require((plan["ratePerMinute"] as? NSNumber)?.doubleValue)
            #expect(abs(rate - 29.4) < 0.01, "30/min less the 2% headroom")
            let minutes = try #require((plan["minutesToFinish"] as? NSNumber)?.doubleValue)
            #expect(abs(minutes - 100 / 29.4) < 0.01)
            let learned = try #require(plan["learnedCap"] as? [String: Any])
            #expect((learned["acceptedPerMinute"] as? NSNumber)?.doubleValue == 30)

            let text = try await Shell.run(
                RunHarness.binary, ["run", "--dry-run", "--rate", "600"], environment: environment)
            #expect(text.stdout.contains("at 29.4/min"), "\(text.stdout)")
            #expect(text.stdout.contains("Veriff accepted about 30/min"), "\(text.stdout)")

            // A process-local limiter does not read the shared row: the configured rate.
            let local = try await Shell.run(
                RunHarness.binary, ["run", "--dry-run", "--rate", "600", "--limiter", "local", "--json"],
                environment: environment)
            let localPlan = try #require(
                try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])
            #expect((localPlan["ratePerMinute"] as? NSNumber)?.doubleValue ?? 0 > 500)
            #expect(localPlan["learnedCap"] == nil)
        }
    }
}
