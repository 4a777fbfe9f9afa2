import RateLimiting
import SessionQueue

/// How a run ended and what it did: printed at the end (`--json` for machines) and kept in the runs table.
public struct RunSummary: Sendable, Codable {
    public var runID: Int64?
    public var outcome: RunLog.Outcome
    public var counts: RunCounts
    /// Wall-clock seconds from start to end.
    public var seconds: Double
    /// Requests per minute from the first send to the last (start-up and the final write-back excluded).
    public var sentPerMinute: Double
    /// The limiter's target rate at the end, per minute: the rate actually aimed at (under a learned cap, if any).
    public var ratePerMinute: Double?
    /// The cap learned from Veriff's 429s, when one is in force (it is below the configured cap).
    public var learnedCap: LearnedCap?
    /// Pending rows left for a later run (scheduled retries and rows never claimed).
    public var pendingLeft: Int?
    /// One line saying why the run stopped, when it did not simply finish.
    public var message: String?

    public init(
        runID: Int64?, outcome: RunLog.Outcome, counts: RunCounts, seconds: Double, sentPerMinute: Double,
        ratePerMinute: Double?, pendingLeft: Int?, message: String?, learnedCap: LearnedCap? = nil
    ) {
        self.runID = runID
        self.outcome = outcome
        self.counts = counts
        self.seconds = seconds
        self.sentPerMinute = sentPerMinute
        self.ratePerMinute = ratePerMinute
        self.pendingLeft = pendingLeft
        self.message = message
        self.learnedCap = learnedCap
    }
}
