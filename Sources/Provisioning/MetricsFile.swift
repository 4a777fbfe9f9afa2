import Foundation
import SafeFiles
import SessionQueue

/// Writes a run's metrics in Prometheus text format, for node_exporter's textfile collector (how cron jobs are
/// monitored): at every progress tick while the run works (`provisioner_run_in_progress 1` and the counters so far),
/// and the summary at the end (`provisioner_run_in_progress 0`). Written through ``AtomicFile`` (an unpredictable
/// temporary name created exclusively, then renamed), so the collector never reads half a file and a symbolic link
/// planted at the target or a temporary name is never followed.
public enum MetricsFile {
    /// The exposition text for a finished run's summary.
    public static func render(_ summary: RunSummary, exitCode: Int32, finishedAt: Date = Date()) -> String {
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ type: String, _ samples: [(String, Double)]) {
            appendMetric(to: &lines, name, help, type, samples)
        }
        metric("provisioner_run_in_progress", "1 while a run works, 0 once it has ended.", "gauge", [("", 0)])
        appendCounts(summary.counts, to: &lines)
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

    /// The exposition text for a run in progress: the same row counters (so far), and where the run stands.
    /// - Parameters:
    ///   - progress: The run's latest snapshot.
    ///   - startedAt: When the run started.
    ///   - updatedAt: When the snapshot was taken.
    public static func render(_ progress: RunProgress, startedAt: Date, updatedAt: Date = Date()) -> String {
        var lines: [String] = []
        func metric(_ name: String, _ help: String, _ samples: [(String, Double)]) {
            appendMetric(to: &lines, name, help, "gauge", samples)
        }
        metric("provisioner_run_in_progress", "1 while a run works, 0 once it has ended.", [("", 1)])
        appendCounts(progress.counts, to: &lines)
        metric(
            "provisioner_run_duration_seconds", "How long the run has worked so far.", [("", progress.elapsedSeconds)])
        metric(
            "provisioner_run_sent_per_minute", "Requests per minute over the last progress interval.",
            [("", progress.sentPerMinute)])
        metric(
            "provisioner_run_progress_done", "Rows finished so far in the current run.", [("", Double(progress.done))])
        metric(
            "provisioner_run_progress_total", "Rows the current run expects to finish (due rows, at most --limit).",
            [("", Double(progress.total))])
        metric("provisioner_run_sent", "Requests sent so far in the current run.", [("", Double(progress.sent))])
        metric("provisioner_run_in_flight", "Requests in flight now.", [("", Double(progress.inFlight))])
        metric("provisioner_run_target_per_minute", "The limiter's target rate now.", [("", progress.ratePerMinute)])
        if let eta = progress.etaSeconds, eta.isFinite {
            metric("provisioner_run_eta_seconds", "Seconds to finish the rest at the target rate.", [("", eta)])
        }
        metric(
            "provisioner_run_started_timestamp_seconds", "When the current run started (Unix time).",
            [("", startedAt.timeIntervalSince1970.rounded())])
        metric(
            "provisioner_run_updated_timestamp_seconds", "When these metrics were written (Unix time).",
            [("", updatedAt.timeIntervalSince1970.rounded())])
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes a finished run's metrics atomically (``writeAtomically(_:to:)``).
    /// - Throws: ``OutputFileError`` when the directory is not writable.
    public static func write(_ summary: RunSummary, exitCode: Int32, to path: String) throws {
        try writeAtomically(render(summary, exitCode: exitCode), to: path)
    }

    /// Writes a run's metrics while it works (at every progress tick), atomically (``writeAtomically(_:to:)``).
    /// - Throws: ``OutputFileError`` when the directory is not writable.
    public static func write(_ progress: RunProgress, startedAt: Date, to path: String) throws {
        try writeAtomically(render(progress, startedAt: startedAt), to: path)
    }

    /// Writes the text through ``AtomicFile``, mode 0644: node_exporter reads it as its own user, and it holds counts
    /// only.
    /// - Throws: ``OutputFileError`` when the directory is not writable.
    static func writeAtomically(_ text: String, to path: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644)
    }

    /// The row counters, the same names in progress and at the end.
    private static func appendCounts(_ counts: RunCounts, to lines: inout [String]) {
        appendMetric(
            to: &lines, "provisioner_run_rows", "Rows by what the last (or current) run did with them.", "gauge",
            [
                ("{result=\"provisioned\"}", Double(counts.provisioned)),
                ("{result=\"failed\"}", Double(counts.failed)),
                ("{result=\"invalid\"}", Double(counts.invalid)),
                ("{result=\"retried\"}", Double(counts.retried)),
                ("{result=\"held\"}", Double(counts.held)),
                ("{result=\"released\"}", Double(counts.released)),
                ("{result=\"rescued\"}", Double(counts.rescued)),
            ])
        appendMetric(
            to: &lines, "provisioner_run_rate_limited", "429 answers in the last (or current) run.", "gauge",
            [("", Double(counts.rateLimited))])
        appendMetric(
            to: &lines, "provisioner_run_in_doubt", "Attempts in the last (or current) run whose answer was lost.",
            "gauge", [("", Double(counts.inDoubt))])
    }

    /// One metric: its HELP and TYPE lines and its samples (label set, value).
    private static func appendMetric(
        to lines: inout [String], _ name: String, _ help: String, _ type: String, _ samples: [(String, Double)]
    ) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(type)")
        for (labels, value) in samples { lines.append("\(name)\(labels) \(format(value))") }
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
