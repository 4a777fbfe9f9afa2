import Logging
import RateLimiting
import SessionQueue

extension RunSummary {
    /// The whole summary as log metadata for the `run finished` event: numbers as numbers (JSON numbers in JSON
    /// logs), keys as in the progress events.
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "run.outcome": "\(outcome.rawValue)",
            "run.seconds": .stringConvertible((seconds * 1000).rounded() / 1000),
            "run.sent_per_minute": .stringConvertible((sentPerMinute * 10).rounded() / 10),
            "rows.claimed": .stringConvertible(counts.claimed),
            "rows.provisioned": .stringConvertible(counts.provisioned),
            "rows.failed": .stringConvertible(counts.failed),
            "rows.invalid": .stringConvertible(counts.invalid),
            "rows.retried": .stringConvertible(counts.retried),
            "rows.held": .stringConvertible(counts.held),
            "rows.released": .stringConvertible(counts.released),
            "rows.rescued": .stringConvertible(counts.rescued),
            "run.rate_limited": .stringConvertible(counts.rateLimited),
            "run.in_doubt": .stringConvertible(counts.inDoubt),
        ]
        if let runID { metadata["run.id"] = .stringConvertible(runID) }
        if let ratePerMinute, ratePerMinute.isFinite {
            metadata["run.rate_per_minute"] = .stringConvertible((ratePerMinute * 10).rounded() / 10)
        }
        if let pendingLeft { metadata["rows.pending_left"] = .stringConvertible(pendingLeft) }
        if let learnedCap {
            metadata["limiter.learned_cap_per_minute"] = .stringConvertible(
                (learnedCap.acceptedPerMinute * 10).rounded() / 10)
            metadata["limiter.advisory"] = "\(learnedCap.advisory())"
        }
        if let message { metadata["run.message"] = "\(message)" }
        return metadata
    }
}
