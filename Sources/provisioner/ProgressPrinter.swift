import Foundation
import Logging
import Provisioning
import SessionQueue
import Synchronization

/// Shows a run's progress: a live line on a terminal, a structured log line (numbers as JSON numbers) otherwise; and
/// with `--metrics-file`, rewrites the metrics file at every tick, so a textfile collector sees the run in progress.
struct ProgressPrinter: Sendable {
    let logger: Logger
    /// Where `--metrics-file` writes, if given.
    var metricsFile: String?
    /// `--progress-interval`, if given.
    var requestedInterval: Duration?
    /// When the run started, for the metrics.
    let startedAt = Date()
    /// Whether standard error is a terminal.
    let isTerminal = isatty(STDERR_FILENO) == 1

    /// How often a snapshot is wanted: `--progress-interval`, else every second on a terminal and every 10 seconds
    /// in logs.
    var interval: Duration { requestedInterval ?? (isTerminal ? .seconds(1) : .seconds(10)) }

    var report: @Sendable (RunProgress) -> Void {
        let isTerminal = isTerminal
        let logger = logger
        let metricsFile = metricsFile
        let startedAt = startedAt
        let metricsFailure = FirstTime()
        return { progress in
            if isTerminal {
                let eta = progress.etaSeconds.map(Self.formatSeconds) ?? "-"
                let line =
                    "\r\u{1B}[K\(progress.done)/\(progress.total) done · "
                    + String(format: "%.0f/min (target %.0f/min)", progress.sentPerMinute, progress.ratePerMinute)
                    + " · ETA \(eta) · retries \(progress.counts.retried) · 429s \(progress.counts.rateLimited)"
                    + " · in flight \(progress.inFlight)"
                FileHandle.standardError.write(Data(line.utf8))
            } else {
                logger.info("progress", metadata: progress.logMetadata)
            }
            guard let metricsFile else { return }
            do {
                try MetricsFile.write(progress, startedAt: startedAt, to: metricsFile)
            } catch {
                // Once per run: the same failure at every tick would drown the log.
                if metricsFailure.claim() {
                    logger.error(
                        "could not write the metrics file", metadata: ["path": "\(metricsFile)", "error": "\(error)"])
                }
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
        return total >= 3600
            ? "\(total / 3600)h\(total % 3600 / 60)m" : total >= 60 ? "\(total / 60)m\(total % 60)s" : "\(total)s"
    }
}

/// True the first time only: a failure reported once, not at every tick.
private final class FirstTime: Sendable {
    private let happened = Mutex(false)

    /// Whether this is the first call.
    func claim() -> Bool {
        happened.withLock { happened in
            defer { happened = true }
            return !happened
        }
    }
}
