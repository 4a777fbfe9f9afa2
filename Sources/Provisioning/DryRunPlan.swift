import Foundation
import Postgres
import RateLimiting
import SessionQueue
import VeriffAPI

/// What `run --dry-run` reports: the rows a run would send, the ones it would mark invalid and why, how long it
/// would take at the configured rate, when it would finish, and how many rows it would leave pending (beyond
/// `--limit`, beyond `--max-duration`, and retries scheduled for later). Reads the queue without claiming or changing
/// anything.
public struct DryRunPlan: Sendable, Codable {
    /// Pending rows due now that the run would consider (at most `--limit`).
    public var dueNow = 0
    /// Every pending row due now (more than ``dueNow`` when `--limit` cuts).
    public var dueTotal = 0
    /// Pending rows scheduled for later (retries).
    public var scheduledLater = 0
    /// Due rows that would be sent, were there no deadline.
    public var valid = 0
    /// Due rows that would be marked invalid (no request).
    public var invalid = 0
    /// The first invalid rows: id and reason.
    public var invalidExamples: [InvalidRow] = []
    /// The rate the run would use, per minute: the configured target, or the rate aimed at under a cap learned
    /// from Veriff's 429s when that is lower (a shared-limiter run starts from it).
    public var ratePerMinute: Double
    /// The cap learned from Veriff's 429s for this integration, when one is in force.
    public var learnedCap: LearnedCap?
    /// `--limit`, if given.
    public var limit: Int?
    /// `--max-duration` in seconds, if given.
    public var maxDurationSeconds: Double?
    /// Valid rows the run would send: all of them, or as many as the rate allows before `--max-duration`.
    public var wouldSend = 0
    /// Minutes to send ``wouldSend`` rows at the rate (ignoring retries and answer times).
    public var minutesToFinish: Double
    /// When the run would finish if it started now.
    public var finishesAt: Date
    /// Pending rows left after the run: due rows beyond `--limit`, valid rows beyond `--max-duration`, and retries
    /// scheduled for later.
    public var rowsLeft = 0

    public struct InvalidRow: Sendable, Codable {
        public var id: Int64
        public var reason: String
    }

    /// Reads every pending row in pages (constant memory) and validates the due ones.
    /// - Parameters:
    ///   - ratePerMinute: The limiter's target rate.
    ///   - learnedCap: The cap learned for this integration, if the run would use the shared limiter and one is in
    ///     force: the plan uses its rate when lower.
    ///   - limit: `--limit`: only the first rows a run would claim count.
    ///   - maxDuration: `--max-duration`: the run stops sending in time to end within it.
    ///   - stopGracePeriod: What a run leaves at the end of `maxDuration` for requests in flight
    ///     (``RunConfiguration/stopGracePeriod``).
    ///   - examples: How many invalid rows to list.
    ///   - now: The current time. Defaults to now.
    public static func make(
        _ connection: PostgresConnection, ratePerMinute: Double, learnedCap: LearnedCap? = nil, limit: Int?,
        maxDuration: Duration? = nil, stopGracePeriod: Duration = .seconds(30), examples: Int = 20, now: Date = Date()
    ) async throws -> DryRunPlan {
        var plan = DryRunPlan(
            ratePerMinute: min(ratePerMinute, learnedCap?.aimingPerMinute ?? ratePerMinute), minutesToFinish: 0,
            finishesAt: now)
        plan.learnedCap = learnedCap
        plan.limit = limit
        plan.maxDurationSeconds = maxDuration.map { $0 / .seconds(1) }
        plan.scheduledLater = try await PendingRows.scheduledLaterCount(on: connection)
        plan.dueTotal = try await PendingRows.dueCount(on: connection)
        var cursor: PendingRows.Cursor?
        let budget = limit ?? Int.max
        pages: while plan.dueNow < budget {
            let rows = try await PendingRows.duePage(on: connection, after: cursor, limit: 2000)
            if rows.isEmpty { break }
            for row in rows {
                guard plan.dueNow < budget else { break pages }
                plan.dueNow += 1
                cursor = row.cursor
                let violations = row.endUser.normalized().violations()
                if violations.isEmpty {
                    plan.valid += 1
                } else {
                    plan.invalid += 1
                    if plan.invalidExamples.count < examples {
                        plan.invalidExamples.append(InvalidRow(id: row.id, reason: violations.summary))
                    }
                }
            }
        }
        plan.dueTotal = max(plan.dueTotal, plan.dueNow)
        plan.schedule(maxDuration: maxDuration, stopGracePeriod: stopGracePeriod, now: now)
        return plan
    }

    /// Fills in how many rows would be sent before the deadline, when the run would finish, and what is left.
    mutating func schedule(maxDuration: Duration?, stopGracePeriod: Duration, now: Date) {
        wouldSend = valid
        if let maxDuration {
            let window = RunConfiguration.sendingTime(maxDuration: maxDuration, stopGracePeriod: stopGracePeriod)
            let sendable = ratePerMinute > 0 ? Int((ratePerMinute / 60 * (window / .seconds(1))).rounded(.down)) : 0
            wouldSend = min(valid, sendable)
        }
        minutesToFinish = ratePerMinute > 0 ? Double(wouldSend) / ratePerMinute : 0
        var seconds = minutesToFinish * 60
        if let maxDuration { seconds = min(seconds, maxDuration / .seconds(1)) }
        finishesAt = now.addingTimeInterval(seconds)
        rowsLeft = (dueTotal - dueNow) + (valid - wouldSend) + scheduledLater
    }
}
