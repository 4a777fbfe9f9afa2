import Foundation

/// One run as the dashboard shows it: where and when it ran, the cap it was given, how it ended and what it did.
public struct DashboardRun: Sendable, Hashable {
    public var id: Int64
    public var host: String
    public var pid: Int
    public var startedAt: Date
    /// The run's last sign of life (it beats at every progress tick).
    public var heartbeatAt: Date
    public var finishedAt: Date?
    /// `running`, `completed`, `rows_failed`, ...: ``RunLog/Outcome``'s raw values (kept as text, so a newer
    /// runner's outcome still shows).
    public var outcome: String
    /// The cap the run was started with, sessions per minute; `nil` for a run without one.
    public var capPerMinute: Double?
    /// The run's counts as of its last heartbeat.
    public var counts: RunCounts
    /// How it ended, in words, when it said.
    public var message: String?
    /// Still running: its outcome is `running` and it beat within the last five minutes (a runner whose heartbeat
    /// stopped longer ago is marked crashed by the next run).
    public var isAlive: Bool

    public init(
        id: Int64, host: String, pid: Int, startedAt: Date, heartbeatAt: Date, finishedAt: Date?, outcome: String,
        capPerMinute: Double?, counts: RunCounts, message: String?, isAlive: Bool
    ) {
        self.id = id
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.capPerMinute = capPerMinute
        self.counts = counts
        self.message = message
        self.isAlive = isAlive
    }
}
