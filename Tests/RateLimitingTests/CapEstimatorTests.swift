import Testing

@testable import RateLimiting

/// The cap estimate on its own: accepted sends put in by hand, 429s at chosen times (no clock at all).
@Suite("Cap estimate from 429s")
struct CapEstimatorTests {
    static let enterprise = RateLimitConfiguration.tier(.enterprise)

    /// Reads a 429 at `now` (no pause in force) and requires a measurement.
    static func learned(_ estimator: inout CapEstimator, at now: Duration, retryAfter: Duration?) throws
        -> CapEstimator.Learning
    {
        let learning = estimator.learn(at: now, retryAfter: retryAfter, pausedUntil: .zero)
        return try #require(learning)
    }

    /// `count` accepted sends from `start`, `spacing` apart, as a runner would report them.
    static func sends(_ count: Int, from start: Duration, every spacing: Duration, window: Duration) -> AcceptedSends {
        var accepted = AcceptedSends()
        for index in 0..<count {
            accepted.add(bucket: CapEstimator.bucket(of: start + spacing * index, window: window))
        }
        return accepted
    }

    @Test("Configured 600/min, real cap 30: the 30 accepted before the 429 are the cap; the next slot replays them")
    func learnsFromTheTrailingWindow() throws {
        var estimator = CapEstimator(configuration: Self.enterprise)
        estimator.record(Self.sends(30, from: .zero, every: .milliseconds(100), window: .seconds(60)), at: .seconds(3))
        let learning = try Self.learned(&estimator, at: .seconds(3), retryAfter: nil)
        #expect(learning.cap == 30 && learning.measured == 30 && !learning.stillFull)
        #expect(learning.pauseUntil == .seconds(3))
        // 30 sends replayed at 60 s / 29.4 from the ends of their one-second buckets: 1 s + 30 × 2.04 s.
        let spacing = Duration.seconds(60) / Self.enterprise.targetPerWindow(cap: 30)
        #expect(abs((learning.replayEnd - (.seconds(1) + spacing * 30)) / .seconds(1)) < 1e-6)
        // Every window holding a send from after the pause holds at most 30 (the first is ≥ 60 s after the first).
        #expect(learning.replayEnd - Self.enterprise.burstTolerance > .seconds(60))
        #expect(estimator.effectiveCap(at: .seconds(10)) == 30)
    }

    @Test("No send accepted in the trailing window: no measurement")
    func noMeasurement() {
        var estimator = CapEstimator(configuration: Self.enterprise)
        estimator.record(Self.sends(5, from: .zero, every: .seconds(1), window: .seconds(60)), at: .seconds(5))
        #expect(estimator.learn(at: .seconds(70), retryAfter: nil, pausedUntil: .zero) == nil)
        #expect(estimator.learnedCap == nil)
    }

    @Test("A fixed window straddled at the start: Retry-After's window start bounds the estimate")
    func retryAfterBoundsAFixedWindow() throws {
        var estimator = CapEstimator(configuration: Self.enterprise)
        // 20 sends at 58 s ... 59.9 s (last clock minute), 30 at 60 s ... 62.9 s; the 429 at 63 s says 57 s.
        estimator.record(
            Self.sends(20, from: .seconds(58), every: .milliseconds(100), window: .seconds(60)), at: .seconds(63))
        estimator.record(
            Self.sends(30, from: .seconds(60), every: .milliseconds(100), window: .seconds(60)), at: .seconds(63))
        let withoutHint = estimator
        let learning = try Self.learned(&estimator, at: .seconds(63), retryAfter: .seconds(57))
        // The window that has room at 120 s starts at 60 s; a second of rounding lets in the sends of 59 s ... 60 s.
        #expect(learning.measured == 40)
        #expect(learning.pauseUntil == .seconds(120))
        var sliding = withoutHint
        #expect(try Self.learned(&sliding, at: .seconds(63), retryAfter: nil).measured == 50)
    }

    @Test("A 429 less than a window after the pause ended: what was accepted since then bounds the estimate")
    func sinceThePauseEnded() throws {
        var configuration = Self.enterprise
        configuration.minimumLearnedShare = 0
        var estimator = CapEstimator(configuration: configuration)
        let steady = Self.sends(40, from: .seconds(1), every: .milliseconds(1500), window: .seconds(60))
        estimator.record(steady, at: .seconds(60))
        #expect(try Self.learned(&estimator, at: .seconds(60), retryAfter: nil).cap == 40)
        let resume = try #require(estimator.resumeAt)
        #expect(resume > .seconds(61))
        // Someone else takes most of the cap: six accepted after the resume, then a 429 with the old sends still in
        // the trailing window (38 of them and the six).
        let spacing = Duration.seconds(60) / Self.enterprise.targetPerWindow(cap: 40)
        let now = resume + spacing * 6
        estimator.record(Self.sends(6, from: resume, every: spacing, window: .seconds(60)), at: now)
        let second = try Self.learned(&estimator, at: now, retryAfter: nil)
        #expect(second.measured == 6 && second.cap == 6)
    }

    @Test("Refused again right at the resume (a fixed window still full): the last clock window's count, to its end")
    func stillFull() throws {
        var estimator = CapEstimator(configuration: Self.enterprise)
        estimator.record(
            Self.sends(20, from: .seconds(57), every: .milliseconds(150), window: .seconds(60)), at: .seconds(63))
        estimator.record(
            Self.sends(30, from: .seconds(60), every: .milliseconds(100), window: .seconds(60)), at: .seconds(63))
        let first = try Self.learned(&estimator, at: .seconds(63), retryAfter: nil)
        #expect(first.cap == 50)
        #expect(estimator.clockWindowCount == 30)
        let resume = try #require(estimator.resumeAt)
        #expect(resume < .seconds(120))
        let second = try Self.learned(&estimator, at: resume, retryAfter: nil)
        #expect(second.stillFull && second.cap == 30)
        #expect(second.pauseUntil == .seconds(120))
    }

    @Test("Never above the configured cap, never below one")
    func bounds() throws {
        var small = CapEstimator(configuration: RateLimitConfiguration(cap: 20))
        small.record(Self.sends(25, from: .zero, every: .milliseconds(10), window: .seconds(60)), at: .seconds(1))
        #expect(try Self.learned(&small, at: .seconds(1), retryAfter: nil).cap == 20)
        // At least 5% of the configured cap (Self-Serve's share of Enterprise), and at least one.
        var floor = CapEstimator(configuration: Self.enterprise)
        floor.record(Self.sends(1, from: .zero, every: .seconds(1), window: .seconds(60)), at: .seconds(1))
        #expect(try Self.learned(&floor, at: .seconds(1), retryAfter: nil).cap == 30)
        var configuration = Self.enterprise
        configuration.minimumLearnedShare = 0
        var one = CapEstimator(configuration: configuration)
        one.record(Self.sends(1, from: .zero, every: .seconds(1), window: .seconds(60)), at: .seconds(1))
        #expect(try Self.learned(&one, at: .seconds(1), retryAfter: nil).cap == 1)
    }

    @Test(
        "Probing: nothing for ten quiet windows, then 5% of the learned cap per window; forgotten at the configured cap"
    )
    func probing() throws {
        var estimator = CapEstimator(configuration: Self.enterprise)
        estimator.record(
            Self.sends(300, from: .zero, every: .milliseconds(100), window: .seconds(60)), at: .seconds(30))
        _ = try Self.learned(&estimator, at: .seconds(30), retryAfter: nil)
        for second in stride(from: 31, through: 630, by: 1) { estimator.advanceProbe(at: .seconds(second)) }
        #expect(estimator.effectiveCap(at: .seconds(630)) == 300)
        for second in stride(from: 631, through: 690, by: 1) { estimator.advanceProbe(at: .seconds(second)) }
        #expect(abs((estimator.effectiveCap(at: .seconds(690)) ?? 0) - 315) < 1e-6)
        // An idle hour counts as one window of probing, not sixty.
        estimator.advanceProbe(at: .seconds(4290))
        #expect(abs((estimator.effectiveCap(at: .seconds(4290)) ?? 0) - 330) < 1e-6)
        for second in stride(from: 4291, through: 4291 + 60 * 40, by: 1) {
            estimator.advanceProbe(at: .seconds(second))
        }
        #expect(estimator.learnedCap == nil && estimator.effectiveCap(at: .seconds(7000)) == nil)
    }

    @Test("A learned cap is forgotten after its lifetime (a day)")
    func expires() throws {
        var estimator = CapEstimator(configuration: Self.enterprise)
        estimator.record(Self.sends(30, from: .zero, every: .milliseconds(100), window: .seconds(60)), at: .seconds(3))
        _ = try Self.learned(&estimator, at: .seconds(3), retryAfter: nil)
        #expect(estimator.effectiveCap(at: .seconds(86_000)) != nil)
        #expect(estimator.effectiveCap(at: .seconds(86_404)) == nil)
    }

    @Test("GCRA: the learned cap sets the spacing; the configured bound still holds; no measurement halves as before")
    func gcra() throws {
        let configuration = Self.enterprise
        var state = GCRA(configuration: configuration, at: .zero)
        let first = state.reserve(count: 30, at: .zero)
        #expect(first.spacing == configuration.emissionInterval)
        let outcome = state.rateLimited(
            retryAfter: nil, accepted: Self.sends(30, from: .zero, every: first.spacing, window: .seconds(60)),
            at: .seconds(3))
        #expect(outcome.learnedCap == 30 && outcome.rateCut)
        let after = state.reserve(count: 1, at: .seconds(4))
        #expect(after.spacing == .seconds(60) / configuration.targetPerWindow(cap: 30))
        #expect(after.slot(0, tolerance: configuration.burstTolerance) > .seconds(60))
        #expect(state.spacing(at: .seconds(5)) >= configuration.emissionInterval)
        var fresh = GCRA(configuration: configuration, at: .zero)
        _ = fresh.reserve(count: 1, at: .zero)
        let unmeasured = fresh.rateLimited(retryAfter: .seconds(5), accepted: AcceptedSends(), at: .seconds(1))
        #expect(unmeasured.learnedCap == nil && unmeasured.rateFactor == 0.5 && unmeasured.pausedUntil == .seconds(6))
    }
}
