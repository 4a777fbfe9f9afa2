import Logging
import Testing

@testable import RateLimiting

@Suite("429 feedback on a manual clock", .timeLimit(.minutes(10)))
struct RateLimitFeedbackTests {
    @Test("After a 429 with Retry-After nothing is sent before it passes, then the rate halves and climbs back")
    func pauseThenAIMD() async throws {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        let clock = ManualClock()
        let limiter = RateLimiter.local(configuration: configuration, clock: clock, logger: Logger(label: "test"))
        let reportAt = Duration.seconds(10)
        let retryAfter = Duration.seconds(5)
        let plans = (0..<4).map { _ in SimulatedSenders.Plan(wantedAt: Array(repeating: .zero, count: 1_000)) }
        let report = SimulatedSenders.Event(at: reportAt) { await limiter.reportRateLimited(retryAfter: retryAfter) }
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiter: limiter, events: [report])
        #expect(sent.count == 4_000)
        let during = sent.filter { $0 > reportAt && $0 < reportAt + retryAfter }
        #expect(during.isEmpty, "\(during.count) sends during the pause")
        #expect(sent.contains(reportAt + retryAfter), "the first send is right at the end of the pause")
        // Right after the pause: half rate (within the climb of the first ten seconds).
        let afterPause = sent.filter { $0 >= reportAt + retryAfter && $0 < reportAt + retryAfter + .seconds(10) }
        let halfRate = configuration.targetPerMinute / 6 * 0.5
        #expect(Double(afterPause.count) > halfRate && Double(afterPause.count) < halfRate * 1.25)
        // Two minutes later (0.5 + 2 × 0.25 = 1), back to full rate.
        let recovered = sent.filter { $0 >= .seconds(140) && $0 < .seconds(150) }
        let fullRate = configuration.targetPerMinute / 6
        #expect(abs(Double(recovered.count) - fullRate) <= 1.5)
        #expect(await limiter.rateLimitedCount == 1)
        #expect(WindowCount.largest(sent, window: configuration.window) <= configuration.windowLimit)
    }

    @Test("Several 429s of one burst cut the rate once; the pause is extended, not stacked")
    func oneCutPerPause() async throws {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        var state = GCRA(configuration: configuration, at: .zero)
        let first = state.pause(for: .seconds(5), at: .seconds(1))
        let second = state.pause(for: .seconds(5), at: .seconds(2))
        let third = state.pause(for: .seconds(2), at: .seconds(3))
        #expect(first.rateCut && !second.rateCut && !third.rateCut)
        #expect(third.rateFactor == 0.5)
        #expect(third.pausedUntil == .seconds(7))
        #expect(third.rateLimitedTotal == 3)
        #expect(state.pauseEpoch == 2)  // set, then extended; the shorter third one changed nothing
        // A 429 after the pause is a new pause: cut again, from the partly recovered factor, never below 0.1.
        let later = state.pause(for: .seconds(1), at: .seconds(67))
        #expect(later.rateCut)
        #expect(abs(later.rateFactor - (0.5 + 0.25) * 0.5) < 1e-9)
        for minute in 0..<10 { _ = state.pause(for: .seconds(1), at: .seconds(100 + 2 * minute)) }
        #expect(state.rateFactor == configuration.minimumRateFactor)
        // The first slot after a pause is at its end, the next one a full interval later: no burst.
        let slots = state.reserve(count: 3, at: .seconds(118))
        #expect(slots.slot(0, tolerance: configuration.burstTolerance) == state.pausedUntil)
        #expect(slots.spacing == configuration.emissionInterval / configuration.minimumRateFactor)
    }

    @Test("A 429 without Retry-After pauses for the default 30 s")
    func defaultPause() async throws {
        let configuration = RateLimitConfiguration.tier(.selfServe)
        let clock = ManualClock()
        let limiter = RateLimiter.local(configuration: configuration, clock: clock, logger: Logger(label: "test"))
        try await limiter.acquire()
        await limiter.reportRateLimited(retryAfter: nil)
        let plans = [SimulatedSenders.Plan(wantedAt: [.zero])]
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiter: limiter)
        #expect(sent == [.seconds(30)])
        #expect(abs(await limiter.currentRatePerMinute - 29.4 * 0.5) < 1e-9)
    }
}
