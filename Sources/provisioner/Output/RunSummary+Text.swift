import Foundation
import Provisioning
import RateLimiting
import SessionQueue

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
    /// The plan for a person: what would be sent, what is invalid and why, and how long it would take.
    var text: String {
        var lines = [
            "dry run: nothing sent, nothing changed",
            "  due now \(dueNow): \(valid) would be sent, \(invalid) would be marked invalid",
            "  scheduled for later (retries): \(scheduledLater)",
            "  at \(String(format: "%.1f", ratePerMinute))/min: about "
                + String(format: "%.1f", minutesToFinish) + " minutes",
        ]
        for example in invalidExamples { lines.append("  row \(example.id): \(example.reason)") }
        if invalid > invalidExamples.count {
            lines.append("  ... and \(invalid - invalidExamples.count) more invalid rows")
        }
        return lines.joined(separator: "\n")
    }
}
