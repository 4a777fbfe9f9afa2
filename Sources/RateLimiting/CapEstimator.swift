/// Learns the cap Veriff really enforces from its 429s: a 429 is a measurement, since the sends Veriff accepted in
/// the trailing window when it refused are what the integration allows us now.
///
/// Pure value, like ``GCRA`` (which holds one): times are offsets on the store's clock (for PostgreSQL, time since the
/// Unix epoch, so fixed windows fall on clock minutes), and `sql/005_cap_discovery.sql` repeats the math line for line.
///
/// - Accepted sends are counted per bucket of a sixtieth of the window, in a ring of two windows, by every runner.
/// - At a 429 the estimate is the accepted sends in the trailing window (sliding window); no more than those since the
///   start of the window that `Retry-After` points to (less a second of rounding); and no more than those since the
///   last pause ended, when that was less than a window ago (the spacing of successive 429s). A 429 with nothing
///   accepted since the last pause ended says the window is still full: the estimate then also drops to the count of
///   the last 429's clock window (a fixed window), and without `Retry-After` the pause lasts to the next clock window.
/// - The learned cap is never above the configured one, and at least 1 and
///   ``RateLimitConfiguration/minimumLearnedShare`` of it. The next slot comes no earlier than the
///   window's accepted sends replayed at the new spacing (so no window mixing old and new sends goes over it).
/// - After ``RateLimitConfiguration/probeQuietWindows`` windows without a 429 the cap climbs by
///   ``RateLimitConfiguration/probeStepPerWindow`` of the learned cap per window of sending; at the configured cap,
///   or after ``RateLimitConfiguration/learnedCapLifetime``, it is forgotten.
public struct CapEstimator: Sendable, Hashable {
    /// What one 429 taught.
    public struct Learning: Sendable, Hashable {
        /// The learned cap, in sends per window.
        public var cap: Double
        /// The accepted sends the estimate came from.
        public var measured: Int
        /// No send before this (`Retry-After`, or the next clock window when it was still full).
        public var pauseUntil: Duration
        /// GCRA's theoretical arrival time must be at least this: the window's sends replayed at the new spacing.
        public var replayEnd: Duration
        /// Whether nothing had been accepted since the last pause ended.
        public var stillFull: Bool
    }

    /// Buckets per window: the resolution of the accepted-sends count.
    public static let bucketsPerWindow: Int64 = 60
    /// Buckets kept: two windows and a little.
    static let ringSize: Int64 = 2 * bucketsPerWindow + 2

    /// The limiter's parameters.
    public let configuration: RateLimitConfiguration
    private(set) var counts: [Int]
    private(set) var stamps: [Int64]
    /// The cap learned at the last 429, in sends per window; `nil` when none (or forgotten).
    public private(set) var learnedCap: Double?
    /// When ``learnedCap`` was learned.
    public private(set) var learnedAt: Duration?
    /// The cap while probing above the learned one; `nil` before probing starts.
    public private(set) var probeCap: Double?
    /// When the probe last climbed (or the cap was learned).
    public private(set) var probedAt: Duration?
    /// The first slot after the last learned pause.
    public private(set) var resumeAt: Duration?
    /// Accepted sends from the start of the last 429's clock window to the 429.
    public private(set) var clockWindowCount: Int?

    /// Creates an estimator that knows nothing yet.
    /// - Parameter configuration: the limiter's parameters.
    public init(configuration: RateLimitConfiguration) {
        self.configuration = configuration
        self.counts = Array(repeating: 0, count: Int(Self.ringSize))
        self.stamps = Array(repeating: Int64.min, count: Int(Self.ringSize))
    }

    var windowMicroseconds: Int64 { max(1, Self.microseconds(configuration.window)) }

    /// The bucket a store time falls in: `⌊t × 60 / window⌋`, so clock windows start on bucket boundaries.
    /// - Parameter time: a store time.
    public func bucket(of time: Duration) -> Int64 {
        Self.bucket(of: time, window: configuration.window)
    }

    /// The bucket a store time falls in, for a window length.
    /// - Parameters:
    ///   - time: a store time.
    ///   - window: the cap's window.
    public static func bucket(of time: Duration, window: Duration) -> Int64 {
        floorDivide(microseconds(time) * bucketsPerWindow, max(1, microseconds(window)))
    }

    /// The end (exclusive) of bucket `index`, in store time.
    func bucketEnd(_ index: Int64) -> Duration {
        .microseconds(Double(index + 1) * Double(windowMicroseconds) / Double(Self.bucketsPerWindow))
    }

    /// Adds accepted sends; buckets older than the ring are dropped, later than `now` counted at `now`.
    /// - Parameters:
    ///   - accepted: the sends, by bucket.
    ///   - now: the store's current time.
    public mutating func record(_ accepted: AcceptedSends, at now: Duration) {
        let current = bucket(of: now)
        for (index, count) in accepted.counts where count > 0 && index > current - Self.ringSize {
            let bucket = min(index, current)
            let slot = Int(Self.floorModulo(bucket, Self.ringSize))
            if stamps[slot] != bucket {
                stamps[slot] = bucket
                counts[slot] = 0
            }
            counts[slot] += count
        }
    }

    /// Accepted sends in buckets `first ... last` (those still in the ring).
    public func accepted(from first: Int64, through last: Int64) -> Int {
        guard first <= last else { return 0 }
        var total = 0
        for index in max(first, last - Self.ringSize + 1)...last {
            let slot = Int(Self.floorModulo(index, Self.ringSize))
            if stamps[slot] == index { total += counts[slot] }
        }
        return total
    }

    /// The cap aimed under at `now`: the learned cap, or the probe above it; `nil` when none was learned or it expired.
    /// - Parameter now: the store's current time.
    public func effectiveCap(at now: Duration) -> Double? {
        guard let learnedCap, let learnedAt, now - learnedAt < configuration.learnedCapLifetime else { return nil }
        return min(configuration.cap, probeCap ?? learnedCap)
    }

    /// Climbs the probe after the quiet period (an idle gap counts as one window at most); forgets the learned cap
    /// when it expired or the probe reached the configured cap.
    /// - Parameter now: the store's current time.
    public mutating func advanceProbe(at now: Duration) {
        guard let learnedCap, let learnedAt else { return }
        if now - learnedAt >= configuration.learnedCapLifetime {
            forget()
            return
        }
        let window = configuration.window
        let quietEnd = learnedAt + window * configuration.probeQuietWindows
        let from = max(probedAt ?? learnedAt, quietEnd)
        if now > from {
            let climbed = min(now - from, window) / window * configuration.probeStepPerWindow * learnedCap
            let cap = (probeCap ?? learnedCap) + climbed
            if cap >= configuration.cap {
                forget()
                return
            }
            probeCap = cap
        }
        probedAt = max(probedAt ?? now, now)
    }

    /// Forgets the learned cap: the configured cap applies again.
    public mutating func forget() {
        learnedCap = nil
        learnedAt = nil
        probeCap = nil
        probedAt = nil
        resumeAt = nil
        clockWindowCount = nil
    }

    /// Reads a 429 as a measurement of the cap.
    /// - Parameters:
    ///   - now: the store's time of the 429.
    ///   - retryAfter: the answer's `Retry-After`, already clamped, or `nil`.
    ///   - pausedUntil: the current pause's end: a 429 before it answers a send of the same burst.
    /// - Returns: what was learned, or `nil` when nothing was accepted in the trailing window (no measurement).
    public mutating func learn(at now: Duration, retryAfter: Duration?, pausedUntil: Duration) -> Learning? {
        let window = configuration.window
        let perWindow = Self.bucketsPerWindow
        let current = bucket(of: now)
        // Buckets wholly inside (now − window, now]: a lower bound of the trailing window's count.
        let trailing = accepted(from: current - perWindow + 1, through: current)
        guard trailing > 0 else { return nil }
        var measured = trailing
        if let retryAfter, retryAfter < window {
            // A window ending at now + Retry-After has room: what was accepted since its start filled this one.
            measured = min(
                measured, accepted(from: bucket(of: now + retryAfter - window - .seconds(1)), through: current))
        }
        var stillFull = false
        if let resumeAt, resumeAt <= now, now - resumeAt < window {
            let since = accepted(from: bucket(of: resumeAt), through: current)
            if since > 0 { measured = min(measured, since) } else { stillFull = true }
        }
        var cap = Double(measured)
        if stillFull, let clockWindowCount, clockWindowCount > 0 { cap = min(cap, Double(clockWindowCount)) }
        // Before the last pause's first slot, a 429 answers a send of the same burst: it can only confirm.
        let sameBurst = now < max(pausedUntil, resumeAt ?? pausedUntil)
        if stillFull || sameBurst, let learnedCap { cap = min(cap, learnedCap) }
        cap = min(configuration.cap, max(1, configuration.cap * configuration.minimumLearnedShare, cap))

        let clockStart = current - Self.floorModulo(current, perWindow)
        clockWindowCount = accepted(from: clockStart, through: current)
        learnedCap = cap
        learnedAt = now
        probeCap = nil
        probedAt = now

        // Every send a later window can still hold, as if it had been sent at the new spacing from its bucket's end.
        let spacing = window / configuration.targetPerWindow(cap: cap)
        var replayEnd: Duration?
        for index in (current - perWindow)...current {
            let count = accepted(from: index, through: index)
            guard count > 0 else { continue }
            let end = min(bucketEnd(index), now)
            replayEnd = max(replayEnd ?? end, end) + spacing * count
        }
        var pauseUntil = now + (retryAfter ?? .zero)
        if stillFull && retryAfter == nil {
            pauseUntil = max(pauseUntil, bucketEnd(clockStart + perWindow - 1))
        }
        let replay = replayEnd ?? now
        resumeAt = max(pauseUntil, replay - configuration.burstTolerance)
        return Learning(
            cap: cap, measured: measured, pauseUntil: pauseUntil, replayEnd: replay, stillFull: stillFull)
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        value - floorDivide(value, divisor) * divisor
    }
}
