import Logging
import Testing

@testable import RateLimiting

/// The in-memory store dressed as a remote one: batches of slots, and a pause check on every wake.
struct BatchingStore: RateLimiterStore {
    let base: LocalRateLimiterStore<ManualClock>

    var reservesInBatches: Bool { true }
    var pauseCheckInterval: Duration? { .zero }

    func reserve(count: Int) async throws -> SlotReservation { try await base.reserve(count: count) }
    func pause(for duration: Duration) async throws -> PauseOutcome { try await base.pause(for: duration) }
    func pauseEpoch() async throws -> Int { try await base.pauseEpoch() }
}

@Suite("Several limiters sharing one state, on a manual clock", .timeLimit(.minutes(10)))
struct SharedStateTests {
    static func runners(_ count: Int, _ configuration: RateLimitConfiguration, clock: ManualClock)
        -> [RateLimiter<ManualClock>]
    {
        let store = BatchingStore(base: LocalRateLimiterStore(configuration: configuration, clock: clock))
        return (0..<count).map { _ in
            RateLimiter(configuration: configuration, store: store, clock: clock, logger: Logger(label: "test"))
        }
    }

    @Test(
        "Three runners with batched slots keep the window bound and use the cap",
        arguments: [RateLimitConfiguration.tier(.enterprise), RateLimitConfiguration(cap: 600_000)])
    func threeRunners(configuration: RateLimitConfiguration) async throws {
        let clock = ManualClock()
        let runners = Self.runners(3, configuration, clock: clock)
        let perSender = min(Int(configuration.targetPerWindow * 2.5) / 6, 2_000)
        let plans = (0..<6).map { _ in SimulatedSenders.Plan(wantedAt: Array(repeating: .zero, count: perSender)) }
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiters: runners)
        #expect(sent.count == perSender * 6)
        let last = try #require(sent.last)
        #expect(WindowCount.largest(sent, window: configuration.window) <= configuration.windowLimit)
        let perWindow = Double(sent.count - 1) / (last / configuration.window)
        #expect(perWindow >= 0.97 * configuration.cap)
    }

    @Test("A 429 seen by one runner stops the senders of every runner until Retry-After has passed")
    func pauseReachesOtherRunners() async throws {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        let clock = ManualClock()
        let runners = Self.runners(3, configuration, clock: clock)
        let plans = (0..<6).map { _ in SimulatedSenders.Plan(wantedAt: Array(repeating: .zero, count: 100)) }
        let report = SimulatedSenders.Event(at: .seconds(5)) {
            await runners[2].reportRateLimited(retryAfter: .seconds(3))
        }
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiters: runners, events: [report])
        #expect(sent.count == 600)
        #expect(sent.filter { $0 > .seconds(5) && $0 < .seconds(8) }.isEmpty)
        #expect(sent.contains(.seconds(8)))
        #expect(await runners[2].rateLimitedCount == 1)
        #expect(await runners[0].rateLimitedCount == 0)
        // Every runner took the cut from the shared state: half rate (plus the first ten seconds' climb) after it.
        let afterPause = sent.filter { $0 >= .seconds(8) && $0 < .seconds(18) }.count
        let fullRate = configuration.targetPerMinute / 6
        #expect(Double(afterPause) > fullRate * 0.5 && Double(afterPause) < fullRate * 0.6)
    }

    @Test("Cancelling a waiting sender throws CancellationError; the slots it held are only lost capacity")
    func cancellation() async throws {
        let configuration = RateLimitConfiguration.tier(.selfServe)
        let clock = ManualClock()
        let limiter = Self.runners(1, configuration, clock: clock)[0]
        // The clock never moves: the sender runs through the slots free now, then waits for one.
        let waiting = Task {
            for _ in 0..<100 { try await limiter.acquire() }
        }
        await clock.waitUntilAsleep { 1 }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        let acquired = await limiter.statistics.acquired
        #expect(acquired >= 1 && acquired < 100)
        #expect(clock.sleeperCount == 0)
    }
}
