import ArgumentParser
import SessionQueue

/// The process exit statuses, one per way a run can end (listed in README.md, "Exit codes").
enum ExitStatus {
    /// Everything asked for was done.
    static let success = ExitCode(0)
    /// The run finished but some rows failed or were invalid.
    static let rowsFailed = ExitCode(1)
    /// Bad command line or configuration (ArgumentParser's own usage errors use 64 too).
    static let usage = ExitCode(64)
    /// Veriff kept failing (circuit breaker) or could not be reached: rows stay pending for the next run.
    static let veriffUnavailable = ExitCode(69)
    /// PostgreSQL could not be reached, or the credentials were refused.
    static let databaseUnavailable = ExitCode(75)
    /// Veriff refused the key, integration or URL (401/403/404): nothing was changed.
    static let fatalAPIAnswer = ExitCode(77)
    /// Stopped by SIGINT/SIGTERM after writing everything back.
    static let interrupted = ExitCode(130)
}

extension ExitStatus {
    /// The exit status of a run that ended this way.
    static func forOutcome(_ outcome: RunLog.Outcome) -> ExitCode {
        switch outcome {
        case .completed, .running: success
        case .rowsFailed: rowsFailed
        case .interrupted: interrupted
        case .fatalAPIAnswer: fatalAPIAnswer
        case .veriffUnavailable: veriffUnavailable
        case .databaseUnavailable, .crashed: databaseUnavailable
        }
    }
}
