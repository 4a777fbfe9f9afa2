import ArgumentParser
import Foundation
import Logging
import RateLimiting
import SessionQueue

/// `provisioner status`: the queue at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue by status, rows in doubt, the next retry, and the last runs.",
        discussion: """
            "in doubt" counts rows whose request may have created a session whose answer was lost (a timeout or \
            reset after sending, or a runner killed mid-request). They are re-sent by default, so a second session \
            may exist: look for the row's vendorData (or its id, sent as vendorData when the row had none).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Print JSON for machines.")
    var json = false

    @Option(help: ArgumentHelp("How many recent runs to show.", valueName: "n"))
    var runs: Int = 5

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.status")
        let (status, lifecycle, learned) = try await database.withConnection(logger: logger) { connection in
            (
                try await QueueStatus.read(connection, runs: runs), try await LifecycleCounts.fetch(connection),
                try await LearnedCap.read(connection)
            )
        }
        print(
            json
                ? try RunCommand.json(StatusReport(queue: status, decisions: .init(lifecycle), learnedCaps: learned))
                : Self.describe(status, lifecycle) + learned.map { "\nlimiter: \($0.advisory())" }.joined())
    }

    /// The JSON shape of `status --json`.
    struct StatusReport: Encodable {
        struct Decisions: Encodable {
            var approved, declined, resubmissionRequested, review, expiredOrAbandoned: Int
            var byStatus: [String: Int]
            var renewedRows, renewals, awaitingRenewal: Int

            init(_ counts: LifecycleCounts) {
                approved = counts.approved
                declined = counts.declined
                resubmissionRequested = counts.resubmissionRequested
                review = counts.review
                expiredOrAbandoned = counts.expiredOrAbandoned
                byStatus = counts.byStatus
                renewedRows = counts.renewedRows
                renewals = counts.renewals
                awaitingRenewal = counts.awaitingRenewal
            }
        }

        var queue: QueueStatus
        var decisions: Decisions
        /// Caps learned from Veriff's 429s that are in force (below the configured cap).
        var learnedCaps: [LearnedCap]
    }

    static func describe(_ status: QueueStatus, _ lifecycle: LifecycleCounts) -> String {
        let order = ["pending", "claimed", "provisioned", "failed", "invalid", "held"]
        var lines = ["queue:"]
        for name in order {
            lines.append("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(status.byStatus[name] ?? 0)")
        }
        lines.append("  due now      \(status.dueNow)")
        lines.append("  in doubt     \(status.inDoubt)   (a session may already exist; see README, \"In doubt\")")
        lines.append("  expired      \(status.expired)   (provisioned more than 7 days ago)")
        lines.append("  next retry   \(status.nextRetryAt.map { ISO8601DateFormatter().string(from: $0) } ?? "-")")
        lines.append("decisions (from Veriff's webhooks):")
        lines.append(
            "  approved \(lifecycle.approved), declined \(lifecycle.declined), resubmission requested "
                + "\(lifecycle.resubmissionRequested), review \(lifecycle.review), expired/abandoned "
                + "\(lifecycle.expiredOrAbandoned)")
        lines.append(
            "  renewed rows \(lifecycle.renewedRows) (\(lifecycle.renewals) renewals), awaiting renewal "
                + "\(lifecycle.awaitingRenewal) (run --renew-expired or provisioner renew)")
        lines.append("recent runs:")
        if status.recentRuns.isEmpty { lines.append("  none") }
        let formatter = ISO8601DateFormatter()
        for run in status.recentRuns {
            lines.append(
                "  #\(run.id) \(formatter.string(from: run.startedAt)) \(run.host) pid \(run.pid): \(run.outcome) — "
                    + "provisioned \(run.provisioned), failed \(run.failed), invalid \(run.invalid), "
                    + "retried \(run.retried), 429s \(run.rateLimited), in doubt \(run.inDoubt)"
                    + (run.message.map { " — \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}
