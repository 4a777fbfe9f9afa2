/// Where the GCRA state of one limiter key lives: in memory for one process, in PostgreSQL to share it.
///
/// Times are offsets on the store's own clock (for PostgreSQL, the database server's clock), so runners whose
/// clocks disagree still agree on the slots; a ``RateLimiter`` turns them into waits on its local clock.
public protocol RateLimiterStore: Sendable {
    /// Whether a call costs a round trip, so the limiter should reserve slots in batches.
    var reservesInBatches: Bool { get }
    /// How old the limiter's knowledge of the store's pause epoch may be when it hands out a slot; older, it asks
    /// ``pauseEpoch()`` again. `nil` when every pause is reported through this limiter (one process).
    var pauseCheckInterval: Duration? { get }

    /// Takes `count` consecutive slots.
    /// - Parameter count: how many slots, at least 1.
    /// - Returns: the slots, in store time.
    /// - Throws: when the store cannot be reached.
    func reserve(count: Int) async throws -> SlotReservation

    /// Records a 429: pauses every user of the key for `duration` and cuts the rate once per pause.
    /// - Parameter duration: the pause, already clamped.
    /// - Returns: what changed.
    /// - Throws: when the store cannot be reached.
    func pause(for duration: Duration) async throws -> PauseOutcome

    /// The current pause epoch, to find out whether slots taken earlier are still good.
    /// - Throws: when the store cannot be reached.
    func pauseEpoch() async throws -> Int

    /// Takes `count` consecutive slots, and adds the sends this runner saw accepted to the shared count.
    /// - Parameters:
    ///   - count: how many slots, at least 1.
    ///   - accepted: sends accepted since this runner's last call, by bucket of the store's clock.
    /// - Returns: the slots, in store time.
    /// - Throws: when the store cannot be reached.
    func reserve(count: Int, accepted: AcceptedSends) async throws -> SlotReservation

    /// Records a 429 as a measurement of the cap (see ``GCRA/rateLimited(retryAfter:accepted:at:)``).
    /// - Parameters:
    ///   - retryAfter: the answer's `Retry-After`, unclamped, or `nil`.
    ///   - pause: the clamped pause to use when the 429 is no measurement.
    ///   - accepted: sends accepted since this runner's last call.
    /// - Returns: what changed.
    /// - Throws: when the store cannot be reached.
    func rateLimited(retryAfter: Duration?, pause: Duration, accepted: AcceptedSends) async throws -> PauseOutcome

    /// The cap learned from 429s for this key, if one is in force.
    /// - Throws: when the store cannot be reached.
    func learnedCap() async throws -> LearnedCap?
}

extension RateLimiterStore {
    /// Without cap discovery: the sends are not counted.
    public func reserve(count: Int, accepted: AcceptedSends) async throws -> SlotReservation {
        try await reserve(count: count)
    }

    /// Without cap discovery: the plain pause.
    public func rateLimited(retryAfter: Duration?, pause: Duration, accepted: AcceptedSends) async throws
        -> PauseOutcome
    {
        try await self.pause(for: pause)
    }

    /// Without cap discovery: none.
    public func learnedCap() async throws -> LearnedCap? { nil }
}
