/// Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): the n-th
/// retry waits a uniformly random time in `0...min(cap, base × 2^(n−1))`, which spreads retries of many rows apart.
public struct Backoff: Sendable, Hashable {
    /// The ceiling of the first retry's wait. Defaults to 2 seconds.
    public var base: Duration = .seconds(2)
    /// The longest wait. Defaults to 15 minutes.
    public var cap: Duration = .seconds(900)

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(900)) {
        self.base = base
        self.cap = cap
    }

    /// The wait before retry number `attempt` (1 for the first retry).
    /// - Parameter generator: The source of randomness (seeded in tests).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = self.ceiling(attempt: attempt)
        let nanoseconds = ceiling / .nanoseconds(1)
        return .nanoseconds(Int64(Double.random(in: 0...nanoseconds, using: &generator)))
    }

    /// The longest wait before retry number `attempt`: `min(cap, base × 2^(attempt−1))`.
    public func ceiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let factor = Double(1 << exponent)
        return min(cap, base * factor)
    }
}
