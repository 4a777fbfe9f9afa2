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
    }

    /// The rate factor at `now`: the stored factor plus the additive increase since ``factorSince``, at most 1.
    /// - Parameter now: the store's current time.
    public func currentRateFactor(at now: Duration) -> Double {
        let minutes = max(.zero, now - factorSince) / .seconds(60)
        return min(1, rateFactor + configuration.rateIncreasePerMinute * minutes)
    }

    /// Reserves `count` consecutive slots (as `count` single GCRA steps taken at `now`).
    /// - Parameters:
    ///   - count: how many slots to take, at least 1.
    ///   - now: the store's current time.
    /// - Returns: the slots, in store time.
    public mutating func reserve(count: Int, at now: Duration) -> SlotReservation {
        precondition(count >= 1, "reserve at least one slot")
        let factor = currentRateFactor(at: now)
        let spacing = configuration.emissionInterval / factor
        let start = max(theoreticalArrival, now)
        theoreticalArrival = start + spacing * count
        return SlotReservation(
            now: now, start: start, spacing: spacing, count: count, pauseEpoch: pauseEpoch, rateFactor: factor)
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
}
