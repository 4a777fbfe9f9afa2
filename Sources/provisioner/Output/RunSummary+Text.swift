import Foundation
import Provisioning
import RateLimiting
import SessionQueue
import Support

extension RunSummary {
    /// The summary for a person: outcome and time, what happened to the rows, the rate against the target.
    var text: String {
        let c = counts
        var lines = [
            "run \(runID.map(String.init) ?? "-"): \(outcome.rawValue) in " + String(format: "%.1f s", seconds),
            "  provisioned \(c.provisioned), failed \(c.failed), invalid \(c.invalid), retry scheduled \(c.retried), "
                + "held \(c.held), released \(c.released), rescued \(c.rescued)",
            "  sent \(String(format: "%.1f", sentPerMinute))/min (target "
                + "\(ratePerMinute.map { String(format: "%.1f", $0) } ?? "-")/min), 429s \(c.rateLimited), "
                + "in doubt \(c.inDoubt)",
        ]
        if let pendingLeft { lines.append("  pending rows left: \(pendingLeft)") }
        if let learnedCap { lines.append("  limiter: \(learnedCap.advisory())") }
        return lines.joined(separator: "\n")
    }
}

extension DryRunPlan {
    /// The plan for a person: what would be sent, what is invalid and why, how long it would take, when it would
    /// finish, and what would be left.
    var text: String {
        var lines = ["dry run: nothing sent, nothing changed"]
        if let limit, dueTotal > dueNow {
            lines.append("  due now \(dueTotal); --limit \(limit): the first \(dueNow) count")
        }
        lines.append("  due now \(dueNow): \(valid) would be sent, \(invalid) would be marked invalid")
        if let maxDurationSeconds, wouldSend < valid {
            lines.append(
                "  --max-duration \(DurationText.describe(.milliseconds(Int64(maxDurationSeconds * 1000)))): only "
                    + "\(wouldSend) would be sent in time, \(valid - wouldSend) stay pending")
        }
        lines += [
            "  scheduled for later (retries): \(scheduledLater)",
            "  at \(String(format: "%.1f", ratePerMinute))/min: about "
                + String(format: "%.1f", minutesToFinish) + " minutes, finishing around "
                + ISO8601DateFormatter().string(from: finishesAt),
            "  pending rows left after the run: \(rowsLeft)",
        ]
        if let learnedCap {
            lines.append("  limiter: \(learnedCap.advisory()); the plan uses the rate aimed at under it")
        }
        for example in invalidExamples { lines.append("  row \(example.id): \(example.reason)") }
        if invalid > invalidExamples.count {
            lines.append("  ... and \(invalid - invalidExamples.count) more invalid rows")
        }
        return lines.joined(separator: "\n")
    }
}
