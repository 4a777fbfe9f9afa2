import Foundation
import Logging
import Postgres
import RateLimiting
import Synchronization
import TestSupport
import Testing

/// Send times of concurrent senders on the real clock, as offsets from a common start.
final class SendTimes: Sendable {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let times = Mutex<[Duration]>([])

    init() { start = clock.now }

    /// The time since the start.
    var elapsed: Duration { start.duration(to: clock.now) }

    /// Records a send now.
    func record() {
        let at = elapsed
        times.withLock { $0.append(at) }
    }

    /// Every recorded send, sorted.
    var sorted: [Duration] { times.withLock { $0 }.sorted() }
}

/// On the real clock: the verdicts are the cap (never more than the window allows) and the shared pause, not the
/// share of the cap used, which depends on the machine's speed (`scripts/bench limiter` measures that).
@Suite("Limiters sharing one budget through PostgreSQL", .timeLimit(.minutes(10)))
struct PostgresRateLimiterTests {
    static let logger = Logger(label: "test.limiter")

    /// Runs `senders` senders on each of `runners` limiters, each with its own connection, for `duration`.
    static func run(
        conninfo: String, key: String, configuration: RateLimitConfiguration, runners: Int, senders: Int,
        duration: Duration, during: (@Sendable ([RateLimiter<ContinuousClock>], SendTimes) async throws -> Void)? = nil
    ) async throws -> (times: [Duration], statistics: [RateLimiterStatistics]) {
        let times = SendTimes()
        var limiters: [RateLimiter<ContinuousClock>] = []
        var pools: [PostgresConnectionPool] = []
        for _ in 0..<runners {
            let pool = PostgresConnectionPool(conninfo: conninfo, maximum: 2, logger: logger)
            pools.append(pool)
            let store = PostgresRateLimiterStore(pool: pool, key: key, configuration: configuration)
            limiters.append(RateLimiter(configuration: configuration, store: store, clock: .continuous, logger: logger))
        }
        let all = limiters
        try await withThrowingTaskGroup(of: Void.self) { group in
            for limiter in all {
                for _ in 0..<senders {
                    group.addTask {
                        while times.elapsed < duration {
                            try await limiter.acquire()
                            times.record()
                        }
                    }
                }
            }
            if let during { group.addTask { try await during(all, times) } }
            try await group.waitForAll()
        }
        var statistics: [RateLimiterStatistics] = []
        for limiter in limiters { statistics.append(await limiter.statistics) }
        for pool in pools { await pool.close() }
        return (times.sorted, statistics)
    }

    @Test("Three runners at 120 per 10 s: no window over the cap, every runner gets a share")
    func threeRunners() async throws {
        try await TestDatabase.withFresh { conninfo in
            let configuration = RateLimitConfiguration(cap: 120, window: .seconds(10))
            let (times, statistics) = try await Self.run(
                conninfo: conninfo, key: "integration-a", configuration: configuration, runners: 3, senders: 4,
                duration: .seconds(30))
            let largest = WindowCount.largest(times, window: configuration.window)
            let first = try #require(times.first)
            let last = try #require(times.last)
            let perWindow = Double(times.count - 1) / ((last - first) / configuration.window)
            print(
                "3 runners × 4 senders, cap 120/10 s: \(times.count) sends, largest window \(largest), "
                    + "\(perWindow) per window, dropped \(statistics.map(\.droppedSlots))")
            #expect(largest <= configuration.windowLimit)
            #expect(statistics.allSatisfy { $0.acquired > 0 }, "every runner got a share")
        }
    }

    @Test("A 429 reported by one runner stops every runner until Retry-After has passed, then sending resumes")
    func pauseAcrossRunners() async throws {
        try await TestDatabase.withFresh { conninfo in
            let configuration = RateLimitConfiguration(cap: 600)
            let retryAfter = Duration.seconds(3)
            let window = Mutex<(Duration, Duration)>((.zero, .zero))
            let (times, statistics) = try await Self.run(
                conninfo: conninfo, key: "integration-b", configuration: configuration, runners: 3, senders: 3,
                duration: .seconds(7)
            ) { limiters, times in
                try await Task.sleep(for: .seconds(1))
                let reportedAt = times.elapsed
                await limiters[0].reportRateLimited(retryAfter: retryAfter)
                let answeredAt = times.elapsed
                // Other runners read the shared pause at most 50 ms late; a sender that passed its check just before
                // may still be recording its send. Half a second covers that on a busy machine: the check's latency
                // is a design figure (pauseCheckInterval), shown on the manual clock in SharedStateTests.
                window.withLock { $0 = (answeredAt + .milliseconds(50) + .milliseconds(500), reportedAt + retryAfter) }
            }
            let (from, until) = window.withLock { $0 }
            let during = times.filter { $0 > from && $0 < until }
            print(
                "pause from \(from) until \(until); first sends after the report: "
                    + "\(times.filter { $0 > from - .milliseconds(550) }.prefix(10)); total \(times.count)")
            #expect(during.isEmpty, "\(during.count) sends during the pause")
            #expect(times.contains { $0 >= until }, "sending resumes")
            #expect(statistics.map(\.rateLimited) == [1, 0, 0])
            let total = try await Self.rateLimitedTotal(conninfo: conninfo, key: "integration-b")
            #expect(total == 1)
        }
    }

    static func rateLimitedTotal(conninfo: String, key: String) async throws -> Int {
        try await TestDatabase.withPool(conninfo) { pool in
            try await PostgresRateLimiterStore(pool: pool, key: key, configuration: .tier(.enterprise))
                .rateLimitedTotal()
        }
    }
}
