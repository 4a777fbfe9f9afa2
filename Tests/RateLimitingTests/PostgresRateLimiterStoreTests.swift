import Logging
import Postgres
import RateLimiting
import TestSupport
import Testing

@Suite("The limiter state in PostgreSQL", .timeLimit(.minutes(10)))
struct PostgresRateLimiterStoreTests {
    static func withStore(
        _ configuration: RateLimitConfiguration = .tier(.enterprise), key: String = "integration-s",
        _ body: (PostgresRateLimiterStore, String) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withPool(conninfo) { pool in
                try await body(PostgresRateLimiterStore(pool: pool, key: key, configuration: configuration), conninfo)
            }
        }
    }

    @Test("The SQL functions do what the Swift GCRA does: batches back to back, pause, one cut, no burst after")
    func matchesGCRA() async throws {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        let interval = configuration.emissionInterval
        try await Self.withStore(configuration) { store, _ in
            let first = try await store.reserve(count: 3)
            #expect(first.start == first.now)  // a new row: the first slot is free now
            #expect(first.rateFactor == 1 && first.pauseEpoch == 0)
            #expect(abs(first.spacing / interval - 1) < 1e-9)
            let second = try await store.reserve(count: 2)
            // tat moved by 3 × T, rounded up to the microsecond.
            let advance = second.start - first.start
            #expect(advance >= interval * 3 && advance < interval * 3 + .microseconds(1))

            let pause = try await store.pause(for: .seconds(5))
            #expect(pause.rateCut && pause.rateFactor == 0.5 && pause.pauseEpoch == 1 && pause.rateLimitedTotal == 1)
            #expect(pause.pausedUntil - pause.now == .seconds(5))
            let again = try await store.pause(for: .seconds(1))
            #expect(!again.rateCut && again.rateFactor == 0.5 && again.pauseEpoch == 1 && again.rateLimitedTotal == 2)
            #expect(try await store.pauseEpoch() == 1)
            #expect(try await store.rateLimitedTotal() == 2)

            let after = try await store.reserve(count: 2)
            #expect(after.pauseEpoch == 1 && after.rateFactor == 0.5)
            #expect(abs(after.spacing / (interval * 2) - 1) < 1e-9)
            // The first slot after the pause is at its end (to the microsecond), not τ before it.
            let slot = after.slot(0, tolerance: configuration.burstTolerance)
            #expect(slot >= pause.pausedUntil - .microseconds(1) && slot <= pause.pausedUntil + .microseconds(1))
        }
    }

    @Test("Keys are independent")
    func keysAreIndependent() async throws {
        try await Self.withStore(key: "integration-x") { store, conninfo in
            _ = try await store.pause(for: .seconds(30))
            let slots = try await TestDatabase.withPool(conninfo) { pool in
                try await PostgresRateLimiterStore(pool: pool, key: "integration-y", configuration: .tier(.enterprise))
                    .reserve(count: 1)
            }
            #expect(slots.pauseEpoch == 0 && slots.start == slots.now)
        }
    }

    @Test("A lost connection is reopened and the call goes through")
    func reconnects() async throws {
        try await Self.withStore { store, conninfo in
            _ = try await store.reserve(count: 1)
            try await TestDatabase.withConnection(conninfo) { admin in
                let ended = try await admin.query(
                    """
                    SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                    """)
                #expect(ended.count == 1)
            }
            let slots = try await store.reserve(count: 1)
            #expect(slots.count == 1)
        }
    }
}
