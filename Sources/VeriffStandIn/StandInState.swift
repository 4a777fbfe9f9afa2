import VeriffAPI

/// The stand-in's mutable state; lives behind one `Mutex`, touched once per request.
struct StandInState: Sendable {
    /// An answer queued by ``VeriffStandIn/force429(count:retryAfter:)`` or ``VeriffStandIn/force(status:count:)``.
    struct ForcedAnswer: Sendable {
        var status: Int
        var retryAfter: String?
    }

    var window: SlidingWindow
    var random = FastRandom()
    var requestsByStatus: [Int: Int] = [:]
    var resets = 0
    var sessionsCreated = 0
    var vendorDataSeen: Set<String> = []
    var duplicateVendorData = 0
    var sessions: [StandInSession] = []
    var forced: [ForcedAnswer] = []
    var forcedHead = 0
    var burstRemaining = 0

    init(window: Duration) {
        self.window = SlidingWindow(window: window)
    }

    mutating func nextForced() -> ForcedAnswer? {
        guard forcedHead < forced.count else { return nil }
        defer {
            forcedHead += 1
            if forcedHead == forced.count {
                forced.removeAll(keepingCapacity: true)
                forcedHead = 0
            }
        }
        return forced[forcedHead]
    }

    /// A latency drawn uniformly from `mean ± jitter`, never negative; `nil` for none.
    mutating func latency(mean: Duration, jitter: Duration) -> Duration? {
        guard mean > .zero || jitter > .zero else { return nil }
        let jitterNanos = Self.nanoseconds(jitter)
        let offset = jitterNanos > 0 ? Int64.random(in: -jitterNanos...jitterNanos, using: &random) : 0
        let total = Self.nanoseconds(mean) + offset
        return total > 0 ? .nanoseconds(total) : nil
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }

    func stats(configuration: StandInConfiguration, includeSessions: Bool) -> StandInStats {
        var byStatus = Dictionary(uniqueKeysWithValues: requestsByStatus.map { (String($0.key), $0.value) })
        if resets > 0 { byStatus["reset"] = resets }
        return StandInStats(
            requestsByStatus: byStatus, sessionsCreated: sessionsCreated, maxSessionsInAnyWindow: window.maximum,
            duplicateVendorData: duplicateVendorData,
            windowSeconds: Double(Self.nanoseconds(configuration.window)) / 1e9, cap: configuration.cap,
            sessions: includeSessions && configuration.keepsSessions ? sessions : nil
        )
    }
}
