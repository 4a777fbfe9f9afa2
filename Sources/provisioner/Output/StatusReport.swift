import Foundation
import RateLimiting
import SessionQueue

/// What `status` shows; its JSON shape is `status --json`'s (documented in README.md).
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

extension StatusReport {
    /// The report for a person.
    var text: String {
        let (status, lifecycle) = (queue, decisions)
        var lines = ["queue:"]
        for state in QueueRowStatus.allCases {
            let name = state.rawValue
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
        for learned in learnedCaps { lines.append("limiter: \(learned.advisory())") }
        return lines.joined(separator: "\n")
    }
}
