/// The state of one limiter key under GCRA (the generic cell rate algorithm), with a shared pause and an AIMD rate
/// factor. Pure value: times are offsets on the store's clock, so the same math runs in memory and, line for line,
/// in `sql/002_rate_limiter.sql`.
///
/// Each send takes the next slot: `start = max(tat, now)`, `tat = start + T / factor`, and the slot may go
/// τ early: `slot = max(now, start − τ)`. Every reservation moves `tat` on by at least T, so two slots k sends apart
/// are at least `k × T − τ` apart; that is the whole proof of the window bound (see `docs/limiter.md`).
public struct GCRA: Sendable, Hashable {
    /// The parameters every key of one integration shares.
    public let configuration: RateLimitConfiguration
    /// The theoretical arrival time of the next send at full spacing.
    public private(set) var theoreticalArrival: Duration
    /// No slot starts before this (the end of the last 429 pause).
    public private(set) var pausedUntil: Duration
    /// The rate factor as of ``factorSince``; it climbs additively from there.
    public private(set) var rateFactor: Double
    /// When the rate factor starts climbing again (the end of the last pause).
    public private(set) var factorSince: Duration
    /// Counts the pauses set or extended; slots reserved under an older epoch must not be used.
    public private(set) var pauseEpoch: Int
    /// How many 429 answers all users of this key reported.
    public private(set) var rateLimitedTotal: Int
    /// What the 429s taught about the cap Veriff really enforces.
    public private(set) var estimator: CapEstimator

    /// Creates a fresh state: full rate, no pause, the first slot free at `now`.
    /// - Parameters:
    ///   - configuration: the limiter's parameters.
    ///   - now: the store's current time.
    public init(configuration: RateLimitConfiguration, at now: Duration) {
        self.configuration = configuration
        self.theoreticalArrival = now
        self.pausedUntil = now
        self.rateFactor = 1
        self.factorSince = now
        self.pauseEpoch = 0
        self.rateLimitedTotal = 0
        self.estimator = CapEstimator(configuration: configuration)
    }

    /// The rate factor at `now`: the stored factor plus the additive increase since ``factorSince``, at most 1.
    /// - Parameter now: the store's current time.
    public func currentRateFactor(at now: Duration) -> Double {
        let minutes = max(.zero, now - factorSince) / .seconds(60)
        return min(1, rateFactor + configuration.rateIncreasePerMinute * minutes)
    }

    /// The spacing of slots at `now`: the emission interval over the AIMD factor, and no shorter than the learned
    /// cap's (which is never above the configured cap, so the spacing never drops below T).
    /// - Parameter now: the store's current time.
    public func spacing(at now: Duration) -> Duration {
        let spacing = configuration.emissionInterval / currentRateFactor(at: now)
        guard let cap = estimator.effectiveCap(at: now) else { return spacing }
        return max(spacing, configuration.window / configuration.targetPerWindow(cap: cap))
    }

    /// Reserves `count` consecutive slots (as `count` single GCRA steps taken at `now`).
    /// - Parameters:
    ///   - count: how many slots to take, at least 1.
    ///   - accepted: sends the caller saw accepted since its last call, for the cap estimate.
    ///   - now: the store's current time.
    /// - Returns: the slots, in store time; their `rateFactor` is the emission interval over their spacing.
    public mutating func reserve(count: Int, accepted: AcceptedSends = AcceptedSends(), at now: Duration)
        -> SlotReservation
    {
        precondition(count >= 1, "reserve at least one slot")
        estimator.record(accepted, at: now)
        estimator.advanceProbe(at: now)
        let spacing = spacing(at: now)
        let start = max(theoreticalArrival, now)
        theoreticalArrival = start + spacing * count
        return SlotReservation(
            now: now, start: start, spacing: spacing, count: count, pauseEpoch: pauseEpoch,
            rateFactor: configuration.emissionInterval / spacing)
    }

    /// Records a 429 as a measurement of the cap (see ``CapEstimator``): the learned cap sets the spacing from now on,
    /// the pause lasts the `Retry-After` (if any), and the next slot comes no earlier than the trailing window's
    /// accepted sends replayed at the new spacing. With nothing accepted in the trailing window (no measurement), or
    /// with cap discovery off, it is ``pause(for:at:)`` with the clamped `Retry-After` or the default pause.
    /// - Parameters:
    ///   - retryAfter: the answer's `Retry-After`, or `nil`.
    ///   - accepted: sends the caller saw accepted since its last call.
    ///   - now: the store's current time.
    /// - Returns: what changed.
    public mutating func rateLimited(retryAfter: Duration?, accepted: AcceptedSends, at now: Duration) -> PauseOutcome {
        estimator.record(accepted, at: now)
        let clamped = retryAfter.map { configuration.pauseDuration(retryAfter: $0) }
        let previousCap = estimator.learnedCap
        guard configuration.capDiscovery,
            let learning = estimator.learn(at: now, retryAfter: clamped, pausedUntil: pausedUntil)
        else {
            return pause(for: configuration.pauseDuration(retryAfter: retryAfter), at: now)
        }
        rateLimitedTotal += 1
        rateFactor = 1
        factorSince = now
        let arrival = max(theoreticalArrival, learning.replayEnd, learning.pauseUntil + configuration.burstTolerance)
        let until = max(pausedUntil, learning.pauseUntil)
        if arrival != theoreticalArrival || until != pausedUntil || learning.cap != previousCap {
            pauseEpoch += 1
        }
        theoreticalArrival = arrival
        pausedUntil = until
        return PauseOutcome(
            now: now, pausedUntil: until, rateCut: learning.cap != previousCap, pauseEpoch: pauseEpoch,
            rateFactor: configuration.emissionInterval / spacing(at: now), rateLimitedTotal: rateLimitedTotal,
            learnedCap: learning.cap, measured: learning.measured)
    }

    /// Records a 429: pauses every user of the key until `now + duration`, and cuts the rate once per pause.
    ///
    /// A 429 that arrives while a pause is in force (other senders' answers to the same burst) only extends the
    /// pause; it does not cut the rate again. The first slot after the pause is at its end, with no burst.
    /// - Parameters:
    ///   - duration: the pause, already clamped (see ``RateLimitConfiguration/pauseDuration(retryAfter:)``).
    ///   - now: the store's current time.
    /// - Returns: what changed.
    public mutating func pause(for duration: Duration, at now: Duration) -> PauseOutcome {
        rateLimitedTotal += 1
        let until = now + duration
        var cut = false
        if pausedUntil <= now {
            rateFactor = max(configuration.minimumRateFactor, currentRateFactor(at: now) * configuration.rateDecrease)
            cut = true
        }
        if until > pausedUntil {
            pausedUntil = until
            factorSince = until
            theoreticalArrival = max(theoreticalArrival, until + configuration.burstTolerance)
            pauseEpoch += 1
        }
        return PauseOutcome(
            now: now, pausedUntil: pausedUntil, rateCut: cut, pauseEpoch: pauseEpoch, rateFactor: rateFactor,
            rateLimitedTotal: rateLimitedTotal)
    }

    /// The learned cap in force at `now`, as the operator sees it; `nil` when none.
    /// - Parameters:
    ///   - key: the limiter key to report.
    ///   - now: the store's current time (seconds since 1970 when the store is aligned with the Unix epoch).
    public func learnedCap(key: String, at now: Duration) -> LearnedCap? {
        guard let effective = estimator.effectiveCap(at: now), let cap = estimator.learnedCap,
            let learnedAt = estimator.learnedAt
        else { return nil }
        let perMinute = Duration.seconds(60) / configuration.window
        return LearnedCap(
            key: key, configuredPerMinute: configuration.cap * perMinute, acceptedPerMinute: cap * perMinute,
            aimingPerMinute: configuration.targetPerWindow(cap: effective) * perMinute,
            learnedAt: learnedAt / .seconds(1),
            expiresAt: (learnedAt + configuration.learnedCapLifetime) / .seconds(1))
    }
}
