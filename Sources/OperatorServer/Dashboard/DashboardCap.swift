import RateLimiting
import SessionQueue

/// The cap the dashboard measures against: a cap learned from Veriff's 429s when one is in force (what Veriff really
/// accepts), else the cap the latest run was given.
struct DashboardCap: Sendable, Hashable {
    enum Source: Sendable, Hashable {
        /// Learned from 429s on this limiter key; the runners were configured with `configured`.
        case learned(key: String, configured: Double)
        /// The cap run `id` was started with.
        case latestRun(id: Int64)
    }

    /// Sessions per minute.
    var perMinute: Double
    var source: Source

    /// The learned cap (the newest, when several integrations have one), else the latest run's; `nil` when
    /// neither is known (no run yet, or a run without a cap).
    static func choose(latestRun: DashboardRun?, learned: [LearnedCap]) -> DashboardCap? {
        if let cap = learned.first, cap.acceptedPerMinute > 0 {
            return DashboardCap(
                perMinute: cap.acceptedPerMinute, source: .learned(key: cap.key, configured: cap.configuredPerMinute))
        }
        if let run = latestRun, let cap = run.capPerMinute, cap > 0 {
            return DashboardCap(perMinute: cap, source: .latestRun(id: run.id))
        }
        return nil
    }

    /// Where the figure comes from, for a person.
    var explanation: String {
        switch source {
        case .learned(let key, let configured):
            "learned from Veriff's 429s on limiter \(key) (the runners were configured with "
                + "\(DashboardFormat.rate(configured))/min)"
        case .latestRun(let id):
            "the cap run #\(id) was started with"
        }
    }

    /// How long `rows` take at this cap.
    func timeToSend(_ rows: Int) -> Duration {
        .seconds(Double(rows) / perMinute * 60)
    }
}
