import Postgres
import SessionQueue
import VeriffAPI

/// What `run --dry-run` reports: the rows a run would send, the ones it would mark invalid and why, and how long it
/// would take at the configured rate. Reads the queue without claiming or changing anything.
public struct DryRunPlan: Sendable, Codable {
    /// Pending rows due now.
    public var dueNow = 0
    /// Pending rows scheduled for later (retries).
    public var scheduledLater = 0
    /// Due rows that would be sent.
    public var valid = 0
    /// Due rows that would be marked invalid (no request).
    public var invalid = 0
    /// The first invalid rows: id and reason.
    public var invalidExamples: [InvalidRow] = []
    /// The rate the run would use, per minute.
    public var ratePerMinute: Double
    /// Minutes to send the valid rows at that rate (ignoring retries).
    public var minutesToFinish: Double

    public struct InvalidRow: Sendable, Codable {
        public var id: Int64
        public var reason: String
    }

    /// Reads every pending row in pages (constant memory) and validates the due ones.
    /// - Parameters:
    ///   - ratePerMinute: The limiter's target rate.
    ///   - limit: `--limit`: only the first rows a run would claim count.
    ///   - examples: How many invalid rows to list.
    public static func make(
        _ connection: PostgresConnection, ratePerMinute: Double, limit: Int?, examples: Int = 20
    ) async throws -> DryRunPlan {
        var plan = DryRunPlan(ratePerMinute: ratePerMinute, minutesToFinish: 0)
        plan.scheduledLater = try await PendingRows.scheduledLaterCount(on: connection)
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
        plan.minutesToFinish = ratePerMinute > 0 ? Double(plan.valid) / ratePerMinute : 0
        return plan
    }
}
