import Foundation
import Logging
import Provisioning
import SessionQueue

/// Shows a run's progress: a live line on a terminal, a structured log line at a steady interval otherwise.
struct ProgressPrinter: Sendable {
    let logger: Logger
    /// Whether standard error is a terminal.
    let isTerminal = isatty(STDERR_FILENO) == 1

    /// How often a snapshot is wanted: every second on a terminal, every 10 seconds in logs.
    var interval: Duration { isTerminal ? .seconds(1) : .seconds(10) }

    var report: @Sendable (RunProgress) -> Void {
        let isTerminal = isTerminal
        let logger = logger
        return { progress in
            let eta = progress.etaSeconds.map(Self.formatSeconds) ?? "-"
            if isTerminal {
                let line = "\r\u{1B}[K\(progress.done)/\(progress.total) done · "
                    + String(format: "%.0f/min (target %.0f/min)", progress.sentPerMinute, progress.ratePerMinute)
                    + " · ETA \(eta) · retries \(progress.counts.retried) · 429s \(progress.counts.rateLimited)"
                    + " · in flight \(progress.inFlight)"
                FileHandle.standardError.write(Data(line.utf8))
            } else {
                logger.info(
                    "progress",
                    metadata: [
                        "run.done": "\(progress.done)", "run.total": "\(progress.total)", "run.sent": "\(progress.sent)",
                        "run.sent_per_minute": "\(Int(progress.sentPerMinute))",
                        "run.rate_per_minute": "\(Int(progress.ratePerMinute))", "run.eta_seconds": "\(eta)",
                        "run.retried": "\(progress.counts.retried)", "run.rate_limited": "\(progress.counts.rateLimited)",
                        "run.failed": "\(progress.counts.failed)", "run.invalid": "\(progress.counts.invalid)",
                        "run.in_flight": "\(progress.inFlight)",
                    ])
            }
        }
    }

    /// Ends the live line before the summary is printed.
    static func clearLine() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func formatSeconds(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : total >= 60 ? "\(total / 60)m\(total % 60)s" : "\(total)s"
    }
}
