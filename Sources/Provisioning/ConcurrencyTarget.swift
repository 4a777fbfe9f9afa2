/// How many requests to keep in flight: Little's law, in flight ≈ send rate × latency, with room to spare, so the
/// cap is used fully whether Veriff answers in 50 ms or in 2 s.
public struct ConcurrencyTarget: Sendable {
    /// The upper bound (`--concurrency`).
    public var maximum: Int
    /// The latency estimate (exponentially weighted), in seconds.
    public private(set) var latencySeconds: Double
    /// Weight of each new sample in the estimate.
    private let smoothing = 0.2

    public init(maximum: Int, initialLatency: Duration = .milliseconds(200)) {
        self.maximum = max(1, maximum)
        self.latencySeconds = initialLatency.secondsValue
    }

    /// Folds one observed request duration into the latency estimate.
    public mutating func observe(_ duration: Duration) {
        latencySeconds += smoothing * (duration.secondsValue - latencySeconds)
    }

    /// The in-flight limit for a send rate: twice rate × latency (covering latency spikes), plus two, capped.
    public func limit(ratePerMinute: Double) -> Int {
        let needed = (ratePerMinute / 60) * latencySeconds * 2 + 2
        guard needed.isFinite else { return maximum }
        return min(maximum, max(1, Int(needed.rounded(.up))))
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
