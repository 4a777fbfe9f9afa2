import Foundation
import Logging
import Postgres
import Provisioning
import RateLimiting
import TestSupport
import VeriffAPI
import VeriffStandIn

/// Helpers shared by the run's integration tests: rows in a real database, runs against a real stand-in.
enum RunHarness {
    /// Inserts `count` pending rows with plain SQL, as a company's own systems would; every third row has its own
    /// vendorData, the others none (the run then sends the row id).
    static func insertRows(_ db: PostgresConnection, count: Int) async throws {
        try await db.execute(
            """
            INSERT INTO session_queue (first_name, last_name, email, document_type, document_country, vendor_data)
            SELECT 'First' || g, 'Last' || g, 'user' || g || '@example.com', 'PASSPORT', 'EE',
                   CASE WHEN g % 3 = 0 THEN 'crm-' || g END
            FROM generate_series(1, $1) g
            """, [count])
    }

    /// A run configuration with fast timings for tests.
    static func configuration(runner: String = "test-runner") -> RunConfiguration {
        var configuration = RunConfiguration(runnerID: runner, host: "test", pid: Int(getpid()))
        configuration.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(200))
        configuration.retryHorizon = .seconds(5)
        configuration.stopGracePeriod = .seconds(5)
        configuration.flushInterval = .milliseconds(20)
        return configuration
    }

    /// Runs the real engine in this process against `standIn`, with a local limiter at `ratePerMinute`.
    static func run(
        conninfo: String, standIn: VeriffStandIn, apiKey: String = StandInTesting.apiKey,
        requestTimeout: Duration = .seconds(5), ratePerMinute: Double = 6_000_000,
        control: RunControl = RunControl(), configure: (inout RunConfiguration) -> Void = { _ in }
    ) async throws -> RunSummary {
        var configuration = configuration()
        configure(&configuration)
        var veriff = StandInTesting.clientConfiguration(for: standIn)
        veriff.apiKey = APIKey(apiKey)
        veriff.requestTimeout = requestTimeout
        let limiter = RateLimiter.local(
            configuration: RateLimitConfiguration(cap: ratePerMinute, headroom: 0), clock: ContinuousClock(),
            logger: .test)
        let frozen = configuration
        return try await TestDatabase.withPool(conninfo) { pool in
            try await withVeriffClient(veriff, maximumConnections: 64) { client in
                try await ProvisioningRun(
                    pool: pool, sender: client, limiter: limiter, configuration: frozen, control: control,
                    logger: .test
                ).run()
            }
        }
    }

    /// Waits until the stand-in has created at least `count` sessions: a run is under way. The deadline (2 minutes)
    /// only turns a run that never starts into a failure instead of a hang; a slow machine gets there long before.
    static func waitForSessions(_ standIn: VeriffStandIn, atLeast count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while standIn.stats(includeSessions: false).sessionsCreated < count {
            guard ContinuousClock.now < deadline else {
                throw TestSetupError("the run created fewer than \(count) sessions in 2 minutes")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Row counts by status.
    static func statusCounts(_ db: PostgresConnection) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await db.query("SELECT status, count(*) AS n FROM session_queue GROUP BY status") {
            counts[try row.decode("status")] = try row.decode("n")
        }
        return counts
    }

    /// The built `provisioner` binary (scripts/test builds it with the tests).
    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/provisioner").path
    }

    /// The environment for a `provisioner` process using `conninfo` and the test key.
    static func environment(conninfo: String) -> [String: String?] {
        ["DATABASE_URL": conninfo, "VERIFF_API_KEY": StandInTesting.apiKey, "PROVISIONER_LOG_LEVEL": "warning"]
    }
}
