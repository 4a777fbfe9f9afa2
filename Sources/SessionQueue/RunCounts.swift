/// What one run did, row by row; kept in `provisioner_runs` and printed in the summary.
public struct RunCounts: Sendable, Hashable, Codable {
    /// Rows claimed from the queue.
    public var claimed = 0
    /// Sessions created and written back.
    public var provisioned = 0
    /// Rows Veriff refused, or that ran out of attempts.
    public var failed = 0
    /// Rows refused by local validation (no request sent).
    public var invalid = 0
    /// Attempts that will be tried again (transient failures, 429s, in-doubt re-sends).
    public var retried = 0
    /// 429 answers.
    public var rateLimited = 0
    /// Attempts whose answer was lost after sending: a session may exist.
    public var inDoubt = 0
    /// Rows held for a person (`--hold-in-doubt`).
    public var held = 0
    /// Rows put back unsent (stop, fatal answer).
    public var released = 0
    /// Rows of dead runners put back in the queue at the start of this run.
    public var rescued = 0

    public init() {}
}
