import SessionQueue

extension ServerMetrics {
    /// Sets the queue's gauges from one read of the database, and `provisioner_metrics_database_up`.
    ///
    /// - Parameter metrics: What ``QueueMetrics/read(_:)`` returned, or `nil` when the database did not answer
    ///   (the gauges then keep their last values and `provisioner_metrics_database_up` is 0).
    func update(from metrics: QueueMetrics?) {
        guard let metrics else {
            gauge("provisioner_metrics_database_up", 0)
            return
        }
        gauge("provisioner_metrics_database_up", 1)
        for (status, count) in metrics.rowsByStatus {
            gauge("provisioner_queue_rows", [("status", status)], Double(count))
        }
        gauge("provisioner_queue_in_doubt_rows", Double(metrics.inDoubt))
        for (status, count) in metrics.sessionStatuses {
            gauge("provisioner_session_status_rows", [("status", status)], Double(count))
        }
        for (outcome, count) in metrics.attemptsByOutcome {
            gauge("provisioner_session_attempts", [("outcome", outcome)], Double(count))
        }
        gauge("provisioner_sessions_created", Double(metrics.sessionsCreated))
        gauge("provisioner_rate_limited_answers", Double(metrics.rateLimitedAnswers))
        gauge("provisioner_webhook_events_recorded", Double(metrics.webhooksRecorded))
        gauge("provisioner_webhook_events_applied", Double(metrics.webhooksApplied))
        if let run = metrics.latestRun {
            gauge("provisioner_run_id", Double(run.id))
            gauge("provisioner_run_running", run.outcome == "running" ? 1 : 0)
            gauge("provisioner_run_cap_per_minute", run.capPerMinute ?? 0)
            gauge("provisioner_run_sessions_created", Double(run.sessionsCreated))
            gauge("provisioner_run_rate_limited_answers", Double(run.rateLimited))
        }
        for limiter in metrics.limiters {
            let key = [("key", limiter.key)]
            gauge("provisioner_limiter_rate_per_minute", key, limiter.ratePerMinute ?? 0)
            gauge("provisioner_limiter_rate_factor", key, limiter.rateFactor)
            gauge("provisioner_limiter_paused", key, limiter.paused ? 1 : 0)
            gauge("provisioner_limiter_rate_limited_total", key, Double(limiter.rateLimitedTotal))
        }
    }
}
