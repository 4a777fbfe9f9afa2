/// What recording a 429 changed in a limiter store, in the store's time.
public struct PauseOutcome: Sendable, Hashable {
    /// The store's clock when the 429 was recorded.
    public var now: Duration
    /// No slot starts before this.
    public var pausedUntil: Duration
    /// Whether this 429 cut the rate (the first one of a pause does; the rest only extend it).
    public var rateCut: Bool
    /// The store's pause epoch after the change.
    public var pauseEpoch: Int
    /// The rate factor from the end of the pause on.
    public var rateFactor: Double
    /// The 429s recorded for the key, by every runner.
    public var rateLimitedTotal: Int
    /// The cap learned from this 429, in sends per window; `nil` when it was no measurement (AIMD instead).
    public var learnedCap: Double?
    /// The accepted sends the learned cap came from.
    public var measured: Int?

    /// Creates an outcome.
    public init(
        now: Duration, pausedUntil: Duration, rateCut: Bool, pauseEpoch: Int, rateFactor: Double,
        rateLimitedTotal: Int, learnedCap: Double? = nil, measured: Int? = nil
    ) {
        self.now = now
        self.pausedUntil = pausedUntil
        self.rateCut = rateCut
        self.pauseEpoch = pauseEpoch
        self.rateFactor = rateFactor
        self.rateLimitedTotal = rateLimitedTotal
        self.learnedCap = learnedCap
        self.measured = measured
    }
}
