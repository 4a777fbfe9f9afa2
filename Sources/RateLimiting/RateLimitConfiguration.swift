/// What a limiter promises and how it behaves: the cap, the window it is counted over, the headroom left for others,
/// and how it reacts to 429 answers.
///
/// The promise: in any window of length ``window`` (sliding, counted when `acquire()` returns) at most
/// ``windowLimit`` sends happen, that is the cap rounded down (at least one). In steady state the limiter sends at
/// ``targetPerWindow`` per window: the cap less the headroom. See `docs/limiter.md` for the proof.
public struct RateLimitConfiguration: Sendable, Hashable {
    /// Veriff's published caps.
    public enum Tier: String, Sendable, Hashable, CaseIterable {
        /// Enterprise integrations: 600 sessions per minute.
        case enterprise
        /// Self-Serve integrations: 30 sessions per minute.
        case selfServe = "self-serve"

        /// The tier's cap in sessions per minute.
        public var capPerMinute: Double {
            switch self {
            case .enterprise: 600
            case .selfServe: 30
            }
        }
    }

    /// The most sends allowed in any ``window`` (sessions per minute with the default window). Must be > 0.
    public var cap: Double
    /// The share of the cap left unused for the company's other systems and for timing jitter, in [0, 1).
    /// Defaults to 0.02.
    public var headroom: Double
    /// The length of the sliding window the cap is counted over. Defaults to 60 seconds; tests scale it down.
    public var window: Duration
    /// How long every sender pauses after a 429 without a usable `Retry-After`. Defaults to 30 seconds.
    public var defaultRetryAfter: Duration
    /// The range a `Retry-After` is clamped to. Defaults to 1 second ... 10 minutes.
    public var retryAfterRange: ClosedRange<Duration>
    /// The factor the send rate is multiplied by after a 429 (once per pause). Defaults to 0.5.
    public var rateDecrease: Double
    /// The lowest share of the target rate a series of 429s can bring the limiter down to. Defaults to 0.1.
    public var minimumRateFactor: Double
    /// How much of the target rate comes back per minute without a 429 (additive increase). Defaults to 0.25,
    /// so half rate climbs back to full rate in two minutes.
    public var rateIncreasePerMinute: Double
    /// How much sending one round trip to a shared store reserves (ignored by the local store). Defaults to 150 ms.
    public var batchDuration: Duration
    /// The most slots one round trip to a shared store reserves. Defaults to 2,000.
    public var maximumBatch: Int
    /// Whether a 429 is read as a measurement of the cap Veriff really enforces (see ``CapEstimator``). Defaults to
    /// `true`; `false` keeps only the pause and the halving.
    public var capDiscovery: Bool
    /// How long a learned cap is trusted; older, the configured cap applies again (so a raised cap is found).
    /// Defaults to 24 hours.
    public var learnedCapLifetime: Duration
    /// Windows without a 429 before the limiter probes above a learned cap. Defaults to 10.
    public var probeQuietWindows: Double
    /// How fast a probe climbs, as a share of the learned cap per window of sending. Defaults to 0.05.
    public var probeStepPerWindow: Double
    /// The lowest share of the configured cap a 429 can teach. Defaults to 0.05: Veriff's Self-Serve cap is 5% of
    /// Enterprise's, so a measurement below that says something other than the tier is wrong (another system takes
    /// nearly all of it); the limiter then keeps to 5% and Veriff's `Retry-After`.
    public var minimumLearnedShare: Double

    /// The smallest timing margin kept even with zero headroom, as a share of the window (see ``slack``).
    static let minimumMargin = 0.005

    /// Creates a configuration.
    /// - Parameters:
    ///   - cap: the most sends allowed in any `window`; sessions per minute with the default window.
    ///   - headroom: the share of the cap left unused, in [0, 1).
    ///   - window: the length of the sliding window.
    public init(cap: Double, headroom: Double = 0.02, window: Duration = .seconds(60)) {
        precondition(cap > 0 && cap.isFinite, "cap must be a positive number")
        precondition(headroom >= 0 && headroom < 1, "headroom must be in [0, 1)")
        precondition(window > .zero, "window must be positive")
        self.cap = cap
        self.headroom = headroom
        self.window = window
        self.defaultRetryAfter = .seconds(30)
        self.retryAfterRange = .seconds(1) ... .seconds(600)
        self.rateDecrease = 0.5
        self.minimumRateFactor = 0.1
        self.rateIncreasePerMinute = 0.25
        self.batchDuration = .milliseconds(150)
        self.maximumBatch = 2_000
        self.capDiscovery = true
        self.learnedCapLifetime = .seconds(86_400)
        self.probeQuietWindows = 10
        self.probeStepPerWindow = 0.05
        self.minimumLearnedShare = 0.05
    }

    /// A configuration for one of Veriff's tiers, per 60-second window.
    /// - Parameters:
    ///   - tier: the integration's tier.
    ///   - headroom: the share of the cap left unused, in [0, 1).
    public static func tier(_ tier: Tier, headroom: Double = 0.02) -> Self {
        Self(cap: tier.capPerMinute, headroom: headroom)
    }
}

extension RateLimitConfiguration {
    /// The most sends in any window: the cap rounded down, and at least one.
    public var windowLimit: Int { max(1, Int(cap.rounded(.down))) }

    /// The steady-state number of sends per window: `cap × (1 − headroom)`, kept at most
    /// `windowLimit / 1.005` so a timing margin remains even with zero headroom.
    public var targetPerWindow: Double { targetPerWindow(cap: cap) }

    /// The sends per window aimed at under another cap (a learned one): `cap × (1 − headroom)`, kept at most
    /// `max(1, ⌊cap⌋) / 1.005`.
    /// - Parameter cap: the cap, in sends per window.
    public func targetPerWindow(cap: Double) -> Double {
        min(cap * (1 - headroom), Double(max(1, Int(cap.rounded(.down)))) / (1 + Self.minimumMargin))
    }

    /// The steady-state rate in sends per minute.
    public var targetPerMinute: Double { targetPerWindow * (Duration.seconds(60) / window) }

    /// GCRA's emission interval T: the spacing of sends at full rate, `window / targetPerWindow`.
    public var emissionInterval: Duration { window / targetPerWindow }

    /// The time the bound has to spare: `windowLimit × T − window` (= `window × (limit / target − 1)`).
    ///
    /// Any window of length `window + slack` holds fewer than `windowLimit + 1` slots spaced T apart, so the
    /// burst tolerance, the lateness accepted when a sender wakes, and the jitter between our send and Veriff's
    /// count must add up to less than this. A quarter goes to each of the first two, half is left for jitter.
    public var slack: Duration { emissionInterval * windowLimit - window }

    /// GCRA's burst tolerance τ: a send may go up to τ ahead of its theoretical arrival time, so a sender that
    /// stalled briefly catches up instead of losing capacity. A quarter of ``slack``.
    public var burstTolerance: Duration { slack / 4 }

    /// How late after its slot a sender may still send; later, the slot is dropped. A quarter of ``slack``.
    public var latenessLimit: Duration { slack / 4 }

    /// The `Retry-After` to honour: the given one clamped to ``retryAfterRange``, or ``defaultRetryAfter``.
    /// - Parameter retryAfter: the server's `Retry-After`, if it sent a usable one.
    public func pauseDuration(retryAfter: Duration?) -> Duration {
        let wanted = retryAfter ?? defaultRetryAfter
        return min(max(wanted, retryAfterRange.lowerBound), retryAfterRange.upperBound)
    }
}
