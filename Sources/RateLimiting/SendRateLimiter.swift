/// What the run engine needs from a limiter: a slot per send, and feedback from Veriff's answers.
public protocol SendRateLimiter: Sendable {
    /// Waits for a send slot; send right after it returns.
    /// - Throws: `CancellationError` when the task is cancelled (the slot is lost, never over the cap), or the
    ///   store's error when a shared store cannot be reached.
    func acquire() async throws

    /// Reports a 429: every sender (of every runner, when shared) pauses for the clamped `Retry-After`, then the
    /// rate drops and climbs back gradually.
    /// - Parameter retryAfter: the answer's `Retry-After`, or `nil` when absent or unreadable.
    func reportRateLimited(retryAfter: Duration?) async

    /// Reports an answer that was not a 429 (counted in the statistics).
    func reportSuccess() async

    /// Reports an answer that created a session: it counts against the cap, so a later 429 can be read as a
    /// measurement of the cap.
    func reportCreated() async

    /// The cap learned from Veriff's 429s, when one is in force (for the run summary).
    var learnedCap: LearnedCap? { get async }

    /// The current send rate in sessions per minute (the target rate times the AIMD factor).
    var currentRatePerMinute: Double { get async }

    /// How many 429s were reported to this limiter.
    var rateLimitedCount: Int { get async }
}

extension SendRateLimiter {
    /// A limiter that does not learn the cap counts it as any other answer.
    public func reportCreated() async { await reportSuccess() }

    /// A limiter that does not learn the cap knows none.
    public var learnedCap: LearnedCap? { get async { nil } }
}
