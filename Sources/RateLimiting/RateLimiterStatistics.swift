/// Counters of one limiter, for progress display and the run report.
public struct RateLimiterStatistics: Sendable, Hashable {
    /// Slots handed to senders.
    public var acquired: Int = 0
    /// Slots reserved but not used: too late, cancelled, or taken before a pause (lost capacity, never excess).
    public var droppedSlots: Int = 0
    /// 429 answers reported to this limiter.
    public var rateLimited: Int = 0
    /// Other answers reported to this limiter.
    public var succeeded: Int = 0
    /// Of those, answers that created a session (counted against the cap).
    public var created: Int = 0
    /// Round trips to the store to reserve slots.
    public var reservations: Int = 0
    /// The current AIMD rate factor, 1 at full rate.
    public var rateFactor: Double = 1

    /// Creates zeroed statistics.
    public init() {}
}
