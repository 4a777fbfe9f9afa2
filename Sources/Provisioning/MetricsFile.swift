import Foundation
import SafeFiles
import SessionQueue

/// Writes a run's summary in Prometheus text format, for node_exporter's textfile collector (how cron jobs are
/// monitored). Written through ``AtomicFile`` (an unpredictable temporary name created exclusively, then renamed), so
/// the collector never reads half a file and a symbolic link planted at the target or a temporary name is never
/// followed.
public enum MetricsFile {
    /// The exposition text for a summary.
    public static func render(_ summary: RunSummary, exitCode: Int32, finishedAt: Date = Date()) -> String {
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ type: String, _ samples: [(String, Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(format(value))") }
        }
        let counts = summary.counts
        metric(
            "provisioner_run_rows", "Rows by what the last run did with them.", "gauge",
            [
                ("{result=\"provisioned\"}", Double(counts.provisioned)),
                ("{result=\"failed\"}", Double(counts.failed)),
                ("{result=\"invalid\"}", Double(counts.invalid)),
                ("{result=\"retried\"}", Double(counts.retried)),
                ("{result=\"held\"}", Double(counts.held)),
                ("{result=\"released\"}", Double(counts.released)),
                ("{result=\"rescued\"}", Double(counts.rescued)),
            ])
        metric(
            "provisioner_run_rate_limited", "429 answers in the last run.", "gauge", [("", Double(counts.rateLimited))])
        metric(
            "provisioner_run_in_doubt", "Attempts in the last run whose answer was lost.", "gauge",
            [("", Double(counts.inDoubt))])
        metric("provisioner_run_duration_seconds", "How long the last run took.", "gauge", [("", summary.seconds)])
        metric(
            "provisioner_run_sent_per_minute", "Requests per minute in the last run.", "gauge",
            [("", summary.sentPerMinute)])
        metric("provisioner_run_exit_code", "The last run's exit status.", "gauge", [("", Double(exitCode))])
        metric(
            "provisioner_run_outcome", "1 for how the last run ended.", "gauge",
            [("{outcome=\"\(summary.outcome.rawValue)\"}", 1)])
        metric(
            "provisioner_run_finished_timestamp_seconds", "When the last run ended (Unix time).", "gauge",
            [("", finishedAt.timeIntervalSince1970.rounded())])
        if let pending = summary.pendingLeft {
            metric(
                "provisioner_queue_pending", "Pending rows left after the last run.", "gauge", [("", Double(pending))])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the metrics atomically (``AtomicFile``), mode 0644: node_exporter reads them as its own user, and they
    /// hold counts only.
    /// - Throws: ``OutputFileError`` when the directory is not writable.
    public static func write(_ summary: RunSummary, exitCode: Int32, to path: String) throws {
        try AtomicFile.write(Array(render(summary, exitCode: exitCode).utf8), to: path, mode: 0o644)
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
