/// Stops a run early when Veriff keeps failing, instead of spending every row's attempts in one night.
///
/// It looks at the last `window` answers that say something about Veriff's health (created, rejected, transient,
/// in doubt; 429s say the cap is busy, not that Veriff is down, and do not count) and opens when at least
/// `minimumSamples` of them are in and `threshold` of them failed.
public struct CircuitBreaker: Sendable {
    /// How many recent answers to look at. Defaults to 50.
    public var window: Int
    /// The fewest answers before the breaker may open. Defaults to 20.
    public var minimumSamples: Int
    /// The share of failures that opens it. Defaults to 0.8.
    public var threshold: Double

    private var recent: [Bool] = []
    private var next = 0
    private var failures = 0

    public init(window: Int = 50, minimumSamples: Int = 20, threshold: Double = 0.8) {
        self.window = max(1, window)
        self.minimumSamples = min(max(1, minimumSamples), self.window)
        self.threshold = threshold
    }

    /// Records one answer.
    /// - Parameter failed: Whether it was a transient failure or in doubt.
    /// - Returns: Whether the breaker is now open.
    public mutating func record(failed: Bool) -> Bool {
        if recent.count < window {
            recent.append(failed)
        } else {
            if recent[next] { failures -= 1 }
            recent[next] = failed
            next = (next + 1) % window
        }
        if failed { failures += 1 }
        return isOpen
    }

    /// Whether enough recent answers failed to stop the run.
    public var isOpen: Bool {
        recent.count >= minimumSamples && Double(failures) >= threshold * Double(recent.count)
    }

    /// The failures among the answers looked at, for the message.
    public var summary: String { "\(failures) of the last \(recent.count) requests failed" }
}
