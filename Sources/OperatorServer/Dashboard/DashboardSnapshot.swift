import RateLimiting
import SessionQueue

/// Everything the dashboard shows above its rows, read at once: the overview, the two charts' minutes and the caps
/// learned from Veriff's 429s.
public struct DashboardSnapshot: Sendable {
    /// Counts, runs and decisions.
    public var overview: DashboardOverview
    /// Sessions per minute over the last 24 hours.
    public var lastDay: SessionsPerMinute
    /// Sessions per minute over the latest run (running or not), if any ran.
    public var latestRun: SessionsPerMinute?
    /// Caps learned from 429s that are in force, newest first.
    public var learnedCaps: [LearnedCap]

    public init(
        overview: DashboardOverview, lastDay: SessionsPerMinute, latestRun: SessionsPerMinute?,
        learnedCaps: [LearnedCap]
    ) {
        self.overview = overview
        self.lastDay = lastDay
        self.latestRun = latestRun
        self.learnedCaps = learnedCaps
    }

    /// The cap the dashboard draws and drains against, and where it comes from.
    var cap: DashboardCap? { DashboardCap.choose(latestRun: overview.latestRun, learned: learnedCaps) }

    /// Whether a run is working now (the page then refreshes itself often).
    var runIsWorking: Bool { overview.latestRun?.isAlive == true }
}
