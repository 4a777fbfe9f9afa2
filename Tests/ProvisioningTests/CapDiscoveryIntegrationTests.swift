import Foundation
import Postgres
import Provisioning
import RateLimiting
import SessionQueue
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

/// The whole run with the limiter shared through PostgreSQL, against the stand-in over loopback, with a configured
/// cap twenty times the real one (600/min on a 30/min integration, scaled to 400 and 20 per 4-second window).
/// Counts only: 429s, rows provisioned, sessions sent twice — never rates or durations.
@Suite("Cap discovery end to end: PostgreSQL, the shared limiter, the stand-in", .timeLimit(.minutes(10)))
struct CapDiscoveryIntegrationTests {
    static let window = Duration.seconds(4)
    static let key = "cap-discovery-test"

    struct Case: Sendable, CustomTestStringConvertible {
        var kind: StandInWindowKind
        var style: StandInRetryAfterStyle
        var testDescription: String { "\(kind.rawValue) window, Retry-After \(style.rawValue)" }
    }

    /// One run of the real engine with the shared limiter configured at 400 per window.
    static func run(conninfo: String, standIn: VeriffStandIn) async throws -> RunSummary {
        let limits = RateLimitConfiguration(cap: 400, headroom: 0.02, window: window)
        let configuration = RunHarness.configuration(runner: "cap-discovery-\(UUID().uuidString.prefix(8))")
        return try await TestDatabase.withPool(conninfo) { pool in
            try await withVeriffClient(StandInTesting.clientConfiguration(for: standIn), maximumConnections: 64) {
                client in
                let limiter = PostgresRateLimiter.make(pool: pool, key: key, configuration: limits, logger: .test)
                return try await ProvisioningRun(
                    pool: pool, sender: client, limiter: limiter, configuration: configuration, logger: .test
                ).run()
            }
        }
    }

    @Test(
        "Configured 20× the real cap: at most two 429s, every row provisioned once; the next run gets no 429",
        arguments: [
            Case(kind: .sliding, style: .seconds), Case(kind: .sliding, style: .none),
            Case(kind: .fixed, style: .date), Case(kind: .fixed, style: .none),
        ])
    func wrongTier(_ testCase: Case) async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 60)
                var configuration = StandInTesting.configuration(cap: 20, window: Self.window)
                configuration.windowKind = testCase.kind
                configuration.retryAfterStyle = testCase.style
                try await withStandIn(configuration) { standIn in
                    let first = try await Self.run(conninfo: conninfo, standIn: standIn)
                    #expect(first.outcome == .completed, "\(first)")
                    #expect(first.counts.provisioned == 60)
                    let afterFirst = standIn.stats(includeSessions: false)
                    // Usually one or two (the answers in flight when the first 429 came back). Sends the dispatcher
                    // took slots for before the 429 still go out, and on a loaded machine that pipe holds more, so
                    // the bound here is loose; the exact "at most two" is CapDiscoverySimulationTests' (manual clock).
                    #expect(afterFirst.requests(status: 429) <= 10, "\(afterFirst.requestsByStatus)")
                    let learned = try #require(first.learnedCap)
                    // 20 per 4 s is 300 per minute; configured 400 per 4 s is 6,000 per minute. Sessions are counted
                    // when their answer comes back, so on a starved machine an answer late across a window edge can
                    // count in the next window: the estimate may then be a little high (the exact figure is the
                    // manual-clock simulation's), never near the configured cap.
                    #expect(learned.acceptedPerMinute <= 600 && learned.acceptedPerMinute >= 270, "\(learned)")
                    #expect(learned.configuredPerMinute == 6_000)
                    #expect(learned.advisory().hasPrefix("configured 6000/min, Veriff accepted about"))
                    #expect(try await LearnedCap.read(db).map(\.key) == [Self.key])

                    // New rows with their own vendorData, so a session sent twice would show at the stand-in.
                    try await db.execute(
                        """
                        INSERT INTO session_queue (first_name, last_name, email, vendor_data)
                        SELECT 'First' || g, 'Last' || g, 'second' || g || '@example.com', 'second-' || g
                        FROM generate_series(1, 60) g
                        """)
                    let second = try await Self.run(conninfo: conninfo, standIn: standIn)
                    #expect(second.outcome == .completed)
                    #expect(second.counts.provisioned == 60)
                    let afterSecond = standIn.stats(includeSessions: false)
                    // The second run starts from the learned cap: usually no 429 at all; a high estimate (above) costs
                    // at most one per window before it is corrected.
                    let secondRateLimited = afterSecond.requests(status: 429) - afterFirst.requests(status: 429)
                    #expect(secondRateLimited <= 2 && second.counts.rateLimited == secondRateLimited)
                    #expect((second.ratePerMinute ?? .infinity) < 600)
                    #expect(afterSecond.sessionsCreated == 120)
                    #expect(afterSecond.duplicateVendorData == 0)
                    #expect(try await RunHarness.statusCounts(db) == ["provisioned": 120])
                }
            }
        }
    }

    @Test("Without a 429 nothing is learned: the configured cap, no advisory")
    func rightCap() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 100)
                try await withStandIn(StandInTesting.configuration(cap: 400, window: Self.window)) { standIn in
                    let summary = try await Self.run(conninfo: conninfo, standIn: standIn)
                    #expect(summary.counts.provisioned == 100 && summary.counts.rateLimited == 0)
                    #expect(summary.learnedCap == nil)
                    #expect(try await LearnedCap.read(db).isEmpty)
                }
            }
        }
    }
}
