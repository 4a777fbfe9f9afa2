import SessionQueue

/// A snapshot of a run in progress, for the live progress line and the periodic log line.
public struct RunProgress: Sendable, Codable {
    /// Rows finished this run (provisioned, failed, invalid, held).
    public var done: Int
    /// Rows due when the run started (rescued ones included), at most `--limit`: what "done" counts towards.
    public var total: Int
    /// Requests sent so far.
    public var sent: Int
    public var inFlight: Int
    public var counts: RunCounts
    /// Requests per minute over the last progress interval.
    public var sentPerMinute: Double
    /// The limiter's current target, per minute.
    public var ratePerMinute: Double
    /// Seconds to finish the rest at the current target rate, when known.
    public var etaSeconds: Double?
    /// Seconds since the run started.
    public var elapsedSeconds: Double
}
