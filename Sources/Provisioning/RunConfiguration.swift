/// How a provisioning run behaves. Every field has a safe default.
public struct RunConfiguration: Sendable {
    /// The most rows to claim in this run (`--limit`). Defaults to no limit.
    public var limit: Int?
    /// Stop sending once this much time has passed, leaving time for in-flight requests (`--max-duration`).
    /// Defaults to no limit.
    public var maxDuration: Duration?
    /// The most requests in flight at once (`--concurrency`). Defaults to 64.
    public var maxConcurrency: Int = 64
    /// Attempts per row before it is marked failed (`--max-attempts`). Defaults to 8.
    public var maxAttempts: Int = 8
    /// Hold rows in doubt for a person instead of re-sending them (`--hold-in-doubt`). Defaults to false.
    public var holdInDoubt = false
    /// The wait between attempts of a row. Defaults to 2 s doubling up to 15 min, with full jitter.
    public var backoff = Backoff()
    /// How long a claim holds if the runner dies; renewed every third of it. Defaults to 5 minutes.
    public var lease: Duration = .seconds(300)
    /// How long in-flight requests may take to finish after a stop. Defaults to 30 s (the request timeout).
    public var stopGracePeriod: Duration = .seconds(30)
    /// Retries due within this horizon are waited for; later ones are left to the next run. Defaults to 2 minutes.
    public var retryHorizon: Duration = .seconds(120)
    /// How often results are written back (or sooner, every `flushBatch` results): the longer, the more answers a
    /// crash can lose (their rows are re-sent, marked in doubt). Defaults to 50 ms.
    public var flushInterval: Duration = .milliseconds(50)
    /// The most results written back in one statement. Defaults to 500.
    public var flushBatch = 500
    /// The most rows claimed ahead of sending. Defaults to 1,000.
    public var maxClaimBuffer = 1000
    /// How much sending to claim ahead: enough to hide a claim's round trip, yet few rows held (every held row is
    /// marked in doubt if the runner dies). Defaults to 500 ms.
    public var claimAhead: Duration = .milliseconds(500)
    /// The callback for rows without one (`VERIFF_CALLBACK_URL`). Defaults to none.
    public var defaultCallback: String?
    /// The circuit breaker's settings. Defaults to 80% of the last 50 (at least 20) failing.
    public var circuitBreaker = CircuitBreaker()
    /// This runner's identity in `claimed_by` and the runs table.
    public var runnerID: String
    /// The host name recorded in the runs table.
    public var host: String
    /// The process id recorded in the runs table.
    public var pid: Int

    /// How long a run with `--max-duration` keeps sending: the duration less the time left for requests in flight to
    /// finish (the grace period, at most half of it).
    public static func sendingTime(maxDuration: Duration, stopGracePeriod: Duration) -> Duration {
        max(.zero, maxDuration - min(stopGracePeriod, maxDuration / 2))
    }

    public init(runnerID: String, host: String, pid: Int) {
        self.runnerID = runnerID
        self.host = host
        self.pid = pid
    }
}
