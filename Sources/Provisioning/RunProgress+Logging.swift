import Logging
import SessionQueue

extension RunProgress {
    /// A progress snapshot as log metadata: numbers as numbers (`run.eta_seconds` in seconds, absent when unknown).
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "run.done": .stringConvertible(done), "run.total": .stringConvertible(total),
            "run.sent": .stringConvertible(sent),
            "run.sent_per_minute": .stringConvertible(Int(sentPerMinute.isFinite ? sentPerMinute : 0)),
            "run.rate_per_minute": .stringConvertible(Int(ratePerMinute.isFinite ? ratePerMinute : 0)),
            "run.retried": .stringConvertible(counts.retried),
            "run.rate_limited": .stringConvertible(counts.rateLimited),
            "run.failed": .stringConvertible(counts.failed), "run.invalid": .stringConvertible(counts.invalid),
            "run.in_flight": .stringConvertible(inFlight),
            "run.elapsed_seconds": .stringConvertible(Int(elapsedSeconds.rounded())),
        ]
        if let etaSeconds, etaSeconds.isFinite {
            metadata["run.eta_seconds"] = .stringConvertible(Int(etaSeconds.rounded()))
        }
        return metadata
    }
}
