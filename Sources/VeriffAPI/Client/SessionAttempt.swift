/// One POST /v1/sessions: its classified outcome, the HTTP status if one came, and how long it took.
public struct SessionAttempt: Sendable, Hashable {
    public var outcome: SessionOutcome
    /// The status Veriff answered with; `nil` when no answer came (connect error, reset, timeout).
    public var httpStatus: Int?
    /// From just before sending to the classified outcome.
    public var duration: Duration

    public init(outcome: SessionOutcome, httpStatus: Int?, duration: Duration) {
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.duration = duration
    }
}
