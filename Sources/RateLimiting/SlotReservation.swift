/// A run of consecutive send slots taken in one step from a limiter store, in the store's time.
public struct SlotReservation: Sendable, Hashable {
    /// The store's clock when the slots were taken.
    public var now: Duration
    /// The theoretical arrival time of the first slot.
    public var start: Duration
    /// The spacing of the slots: the emission interval divided by the rate factor.
    public var spacing: Duration
    /// How many slots were taken.
    public var count: Int
    /// The store's pause epoch when the slots were taken.
    public var pauseEpoch: Int
    /// The rate factor the slots were spaced with.
    public var rateFactor: Double

    /// Creates a reservation.
    public init(now: Duration, start: Duration, spacing: Duration, count: Int, pauseEpoch: Int, rateFactor: Double) {
        self.now = now
        self.start = start
        self.spacing = spacing
        self.count = count
        self.pauseEpoch = pauseEpoch
        self.rateFactor = rateFactor
    }

    /// The earliest time slot `index` (from 0) may be used: its theoretical arrival less the burst tolerance,
    /// and not before `now`.
    /// - Parameters:
    ///   - index: the slot, `0 ..< count`.
    ///   - tolerance: GCRA's burst tolerance τ.
    public func slot(_ index: Int, tolerance: Duration) -> Duration {
        max(now, start + spacing * index - tolerance)
    }
}
