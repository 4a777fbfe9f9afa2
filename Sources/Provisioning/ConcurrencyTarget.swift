/// How many requests to keep in flight: Little's law, in flight ≈ send rate × latency, with room to spare, so the
/// cap is used fully whether Veriff answers in 50 ms or in 2 s.
public struct ConcurrencyTarget: Sendable {
    /// The upper bound (`--concurrency`).
    public var maximum: Int
    /// The latency estimate (exponentially weighted), in seconds; `nil` until the first answer.
    public private(set) var latencySeconds: Double?
    /// Weight of each new sample in the estimate.
    private let smoothing = 0.2

    /// - Parameter initialLatency: A first latency estimate; by default none, and until the first answer the limit
    ///   is `maximum` (the limiter holds the rate anyway; guessing low would stall the start when Veriff is slow).
    public init(maximum: Int, initialLatency: Duration? = nil) {
        self.maximum = max(1, maximum)
        self.latencySeconds = initialLatency.map { $0 / .seconds(1) }
    }

    /// Folds one observed request duration into the latency estimate.
    public mutating func observe(_ duration: Duration) {
        guard let current = latencySeconds else {
            latencySeconds = duration / .seconds(1)
            return
        }
        latencySeconds = current + smoothing * (duration / .seconds(1) - current)
    }

    /// The in-flight limit for a send rate: twice rate × latency (covering latency spikes), plus two, capped.
    public func limit(ratePerMinute: Double) -> Int {
        guard let latencySeconds else { return maximum }
        let needed = (ratePerMinute / 60) * latencySeconds * 2 + 2
        guard needed.isFinite else { return maximum }
        return min(maximum, max(1, Int(needed.rounded(.up))))
    }
}
