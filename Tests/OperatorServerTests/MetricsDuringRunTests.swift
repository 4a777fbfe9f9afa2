import Foundation
import Postgres
import TestSupport
import Testing
import VeriffStandIn

#if canImport(Glibc)
    import Glibc
#endif

/// `/metrics` watched while a real `provisioner run` works: what Prometheus would scrape moves with the run.
@Suite("operator server: /metrics during a run", .timeLimit(.minutes(10)))
struct MetricsDuringRunTests {
    typealias H = ServerHarness

    /// The values of interest in one scrape.
    struct Scrape: Sendable {
        var created: Double
        var runCreated: Double
        var running: Double
    }

    static func scrape(_ h: H) async throws -> Scrape {
        let answer = try await h.get("/metrics", bearer: H.dashboardToken)
        #expect(answer.status == 200)
        return Scrape(
            created: H.metric("provisioner_sessions_created", in: answer.body) ?? -1,
            runCreated: H.metric("provisioner_run_sessions_created", in: answer.body) ?? -1,
            running: H.metric("provisioner_run_running", in: answer.body) ?? -1)
    }

    /// Scrapes until `condition` holds (the run's pace is the machine's business, so no verdict on time).
    static func scrape(_ h: H, until condition: (Scrape) -> Bool) async throws -> Scrape {
        let deadline = ContinuousClock.now + .seconds(300)
        var last = try await scrape(h)
        while !condition(last), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            last = try await scrape(h)
        }
        return last
    }

    @Test("scraped twice while `provisioner run` sends to the stand-in, the sessions-created counters go up")
    func countersMove() async throws {
        try await H.run(try H.configuration()) { h in
            // 2,000 rows at 120/min: the run is still working at the second scrape however slow the machine is.
            try await h.db.execute(
                """
                INSERT INTO session_queue (first_name, last_name, email, document_type, document_country)
                SELECT 'First' || g, 'Last' || g, 'user' || g || '@example.com', 'PASSPORT', 'EE'
                FROM generate_series(1, 2000) g
                """)
            let before = try await Self.scrape(h)
            #expect(before.created <= 0)  // absent (-1) or 0: nothing sent yet
            try await withStandIn(StandInTesting.configuration()) { standIn in
                let run = try ChildProcess.spawn(
                    try ServeProcess.executable(), ["run", "--base-url", standIn.baseURL, "--rate", "120"],
                    environment: [
                        "DATABASE_URL": h.conninfo, "VERIFF_API_KEY": StandInTesting.apiKey,
                        "PROVISIONER_LOG_LEVEL": "warning",
                    ])
                var stopped = false
                defer { if !stopped { run.signal(SIGKILL) } }

                let first = try await Self.scrape(h) { $0.created >= 1 && $0.running == 1 }
                #expect(first.created >= 1, "no session created yet: \(run.stderr())")
                #expect(first.running == 1)
                let second = try await Self.scrape(h) { $0.created > first.created && $0.runCreated > first.runCreated }
                #expect(second.created > first.created, "\(first) then \(second)")
                #expect(second.runCreated > first.runCreated)
                #expect(second.running == 1)

                run.signal(SIGTERM)
                let status = await run.wait()
                stopped = true
                #expect(status == 130, "\(run.stderr())")
                let after = try await Self.scrape(h)
                #expect(after.running == 0)
                #expect(after.created == Double(standIn.stats().sessionsCreated))
            }
        }
    }
}
