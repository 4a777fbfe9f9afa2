import Foundation
import SessionQueue
import Testing

@testable import Provisioning

/// The metrics file's text while a run works and once it has ended.
@Suite("metrics file: progress and summary")
struct MetricsFileProgressTests {
    @Test("in progress: the gauge is 1, the counters so far, the progress; at the end the gauge is 0")
    func render() {
        var counts = RunCounts()
        counts.provisioned = 12
        counts.retried = 3
        let progress = RunProgress(
            done: 12, total: 40, sent: 15, inFlight: 3, counts: counts, sentPerMinute: 600, ratePerMinute: 588,
            etaSeconds: 2.9, elapsedSeconds: 1.5)
        let text = MetricsFile.render(
            progress, startedAt: Date(timeIntervalSince1970: 1_000), updatedAt: Date(timeIntervalSince1970: 1_002))
        for line in [
            "provisioner_run_in_progress 1", "provisioner_run_rows{result=\"provisioned\"} 12",
            "provisioner_run_rows{result=\"retried\"} 3", "provisioner_run_progress_done 12",
            "provisioner_run_progress_total 40", "provisioner_run_sent 15", "provisioner_run_in_flight 3",
            "provisioner_run_eta_seconds 2.9", "provisioner_run_started_timestamp_seconds 1000",
            "provisioner_run_updated_timestamp_seconds 1002", "# TYPE provisioner_run_progress_total gauge",
        ] {
            #expect(text.contains(line + "\n"), "missing \(line) in \(text)")
        }
        let summary = RunSummary(
            runID: 1, outcome: .completed, counts: counts, seconds: 4, sentPerMinute: 590, ratePerMinute: 588,
            pendingLeft: 0, message: nil)
        let final = MetricsFile.render(summary, exitCode: 0)
        #expect(final.contains("provisioner_run_in_progress 0\n"))
        #expect(final.contains("provisioner_run_rows{result=\"provisioned\"} 12\n"))
        // Every sample line has a HELP and a TYPE line for its metric.
        for text in [text, final] {
            let names = Set(
                text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
                    String($0.prefix { $0 != " " && $0 != "{" })
                })
            for name in names { #expect(text.contains("# TYPE \(name) gauge")) }
        }
    }
}
