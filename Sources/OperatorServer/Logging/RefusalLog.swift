import Logging
import Synchronization

/// Logs refused requests at a bounded rate: per reason a token bucket of ``RefusalLogPolicy/burst`` lines refilled
/// at one per ``RefusalLogPolicy/interval``. A refusal that finds the bucket empty is counted, not logged; the next
/// line of the same reason carries `refusal.suppressed` (how many were left out since the previous line), and
/// ``flush()`` writes what is still counted.
///
/// Without it, every unsigned POST wrote a warning: 2,000 in 0.3 s grew the log by 496 KB. With it, a flood of any
/// size writes at most `burst + elapsed / interval` lines per reason.
public final class RefusalLog<C: Clock>: Sendable where C.Duration == Duration {
    private struct Bucket {
        var tokens: Double
        var updated: C.Instant
        var suppressed = 0
    }

    private let policy: RefusalLogPolicy
    private let clock: C
    private let logger: Logger
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameters:
    ///   - policy: Burst and interval.
    ///   - clock: Times the refill (a manual clock in tests).
    ///   - logger: Where the lines go (warning level).
    public init(policy: RefusalLogPolicy, clock: C, logger: Logger) {
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    /// Logs one refusal, or counts it when its reason used up its lines.
    ///
    /// - Parameters:
    ///   - message: The line's message, e.g. "webhook refused".
    ///   - reason: The key the rate applies to (what was wrong); logged as `refusal.reason`.
    ///   - metadata: More fields (path, remote address); never a header value or body.
    /// - Returns: Whether a line was written.
    @discardableResult
    public func refused(_ message: Logger.Message, reason: String, metadata: @autoclosure () -> Logger.Metadata)
        -> Bool
    {
        let now = clock.now
        let suppressed: Int? = buckets.withLock { buckets in
            var bucket = buckets[reason] ?? Bucket(tokens: Double(policy.burst), updated: now)
            let refill = bucket.updated.duration(to: now) / policy.interval
            bucket.tokens = min(Double(policy.burst), bucket.tokens + max(0, refill))
            bucket.updated = now
            defer { buckets[reason] = bucket }
            guard bucket.tokens >= 1 else {
                bucket.suppressed += 1
                return nil
            }
            bucket.tokens -= 1
            let count = bucket.suppressed
            bucket.suppressed = 0
            return count
        }
        guard let suppressed else { return false }
        var fields = metadata()
        fields["refusal.reason"] = "\(reason)"
        if suppressed > 0 { fields["refusal.suppressed"] = "\(suppressed)" }
        logger.warning(message, metadata: fields)
        return true
    }

    /// Writes one line per reason whose refusals were counted but not yet reported (at shutdown).
    public func flush() {
        let pending = buckets.withLock { buckets in
            var pending: [(String, Int)] = []
            for (reason, bucket) in buckets where bucket.suppressed > 0 {
                pending.append((reason, bucket.suppressed))
                buckets[reason]?.suppressed = 0
            }
            return pending.sorted { $0.0 < $1.0 }
        }
        for (reason, count) in pending {
            logger.warning(
                "requests refused without a log line of their own",
                metadata: ["refusal.reason": "\(reason)", "refusal.suppressed": "\(count)"])
        }
    }
}
