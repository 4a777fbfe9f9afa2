import VeriffAPI

/// The stand-in's mutable state; lives behind one `Mutex`, touched once per request.
struct StandInState: Sendable {
    /// An answer queued by ``VeriffStandIn/force429(count:retryAfter:)`` or ``VeriffStandIn/force(status:count:)``.
    struct ForcedAnswer: Sendable {
        var status: Int
        var retryAfter: String?
    }

    var window: SlidingWindow
    var fixedWindow: FixedWindow
    /// When the background system sends next, in nanoseconds since the start; `nil` without one.
    var nextBackground: Int64?
    var backgroundInterval: Int64 = 0
    var backgroundAccepted = 0
    var backgroundRefused = 0
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

    init(window: Duration, origin: Int64 = 0, backgroundPerMinute: Double = 0) {
        self.window = SlidingWindow(window: window)
        self.fixedWindow = FixedWindow(window: window, origin: origin)
        if backgroundPerMinute > 0 {
            backgroundInterval = max(1, Int64((60e9 / backgroundPerMinute).rounded()))
            // As if it had been running for a whole window already: its last window's requests are in (−window, 0].
            nextBackground = -self.window.window + backgroundInterval
        }
    }

    /// Arrivals counted against the cap at `now`, in the configured kind of window.
    mutating func count(at now: Int64, kind: StandInWindowKind) -> Int {
        kind == .fixed ? fixedWindow.count(at: now) : window.count(at: now)
    }

    /// Records an arrival (the sliding window also keeps the statistics for either kind).
    mutating func record(at now: Int64) {
        window.record(at: now)
        fixedWindow.record(at: now)
    }

    /// Plays the background system's requests up to `now`: each takes a place in the window if the cap allows.
    mutating func catchUpBackground(to now: Int64, cap: Int?, kind: StandInWindowKind) {
        guard var next = nextBackground else { return }
        // Requests older than a window no longer count in either kind of window.
        if now - next > window.window {
            next += (now - window.window - next) / backgroundInterval * backgroundInterval
        }
        while next <= now {
            if let cap, count(at: next, kind: kind) >= cap {
                backgroundRefused += 1
            } else {
                record(at: next)
                backgroundAccepted += 1
            }
            next += backgroundInterval
        }
        nextBackground = next
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
            maxSessionsInFixedWindow: fixedWindow.maximum, windowKind: configuration.windowKind,
            backgroundAccepted: backgroundAccepted, backgroundRefused: backgroundRefused,
            duplicateVendorData: duplicateVendorData,
            windowSeconds: Double(Self.nanoseconds(configuration.window)) / 1e9, cap: configuration.cap,
            sessions: includeSessions && configuration.keepsSessions ? sessions : nil
        )
    }
}
