import Logging
import Postgres
import TestSupport
import Testing

@testable import RateLimiting

/// The learned cap in the shared row: the SQL of `sql/005_cap_discovery.sql` against the Swift `CapEstimator`, and
/// every runner on the key using what one of them learned.
@Suite("Cap discovery in the shared limiter row", .timeLimit(.minutes(10)))
struct CapDiscoveryStoreTests {
    static let logger = Logger(label: "test.cap-store")

    @Test("One runner's 429 teaches the row; another runner's next slots follow it; SQL and Swift agree")
    func sharedLearning() async throws {
        try await TestDatabase.withFresh { conninfo in
            let configuration = RateLimitConfiguration.tier(.enterprise)
            try await TestDatabase.withPool(conninfo) { pool in
                let first = PostgresRateLimiterStore(pool: pool, key: "shared", configuration: configuration)
                let second = PostgresRateLimiterStore(pool: pool, key: "shared", configuration: configuration)
                let taken = try await first.reserve(count: 30, accepted: AcceptedSends())
                // 30 accepted sends in the bucket of the reservation (all within the last second).
                var accepted = AcceptedSends()
                accepted.add(
                    bucket: CapEstimator.bucket(of: taken.now, window: configuration.window), count: 30)
                let outcome = try await first.rateLimited(
                    retryAfter: nil, pause: configuration.defaultRetryAfter, accepted: accepted)
                #expect(outcome.learnedCap == 30 && outcome.measured == 30 && outcome.rateCut)

                // The same inputs in memory: the same cap, and the same first slot to within the bucket's timing.
                var state = GCRA(configuration: configuration, at: taken.now)
                _ = state.reserve(count: 30, at: taken.now)
                let mirrored = state.rateLimited(retryAfter: nil, accepted: accepted, at: outcome.now)
                #expect(mirrored.learnedCap == outcome.learnedCap)

                let next = try await second.reserve(count: 1, accepted: AcceptedSends())
                let spacing = Duration.seconds(60) / configuration.targetPerWindow(cap: 30)
                #expect(abs((next.spacing - spacing) / .microseconds(1)) < 2)
                #expect(abs((next.rateFactor - configuration.emissionInterval / spacing)) < 1e-6)
                // Replayed: 30 sends at the new spacing from the end of their bucket (at most `now`).
                #expect(next.start - outcome.now >= spacing * 29)
                let inMemory = state.reserve(count: 1, at: next.now)
                #expect(abs((inMemory.start - next.start) / .seconds(1)) < 1.1)

                let learned = try #require(try await second.learnedCap())
                #expect(learned.acceptedPerMinute == 30 && learned.configuredPerMinute == 600)
                #expect(abs(learned.expiresAt - learned.learnedAt - 86_400) < 1)
                #expect(learned.advisory().hasPrefix("configured 600/min, Veriff accepted about 30/min"))
            }
        }
    }

    @Test("A 429 with nothing accepted in the trailing window is no measurement: the plain pause and halving")
    func noMeasurement() async throws {
        try await TestDatabase.withFresh { conninfo in
            let configuration = RateLimitConfiguration.tier(.enterprise)
            try await TestDatabase.withPool(conninfo) { pool in
                let store = PostgresRateLimiterStore(pool: pool, key: "quiet", configuration: configuration)
                _ = try await store.reserve(count: 1, accepted: AcceptedSends())
                let outcome = try await store.rateLimited(
                    retryAfter: .seconds(2), pause: .seconds(2), accepted: AcceptedSends())
                #expect(outcome.learnedCap == nil && outcome.rateFactor == 0.5)
                #expect(outcome.pausedUntil - outcome.now == .seconds(2))
                #expect(try await store.learnedCap() == nil)
            }
        }
    }
}
