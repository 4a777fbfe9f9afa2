import Synchronization

/// A limiter store in memory, for one process: the GCRA state behind a `Mutex`, timed by a `Clock`.
public final class LocalRateLimiterStore<C: Clock>: RateLimiterStore where C.Duration == Duration {
    private let clock: C
    private let origin: C.Instant
    private let epoch: Duration
    private let state: Mutex<GCRA>

    /// Creates a store whose first slot is free now.
    /// - Parameters:
    ///   - configuration: the limiter's parameters.
    ///   - clock: the clock that times the slots.
    ///   - epoch: the store time of `clock.now` (fixed windows of the cap estimate fall on multiples of the window
    ///     from store time zero); defaults to zero, give the Unix time to align them with clock minutes.
    public init(configuration: RateLimitConfiguration, clock: C, epoch: Duration = .zero) {
        self.clock = clock
        self.origin = clock.now
        self.epoch = epoch
        self.state = Mutex(GCRA(configuration: configuration, at: epoch))
    }

    public var reservesInBatches: Bool { false }
    public var pauseCheckInterval: Duration? { nil }

    /// The GCRA state, for tests and diagnostics.
    public var snapshot: GCRA { state.withLock { $0 } }

    private var now: Duration { epoch + origin.duration(to: clock.now) }

    public func reserve(count: Int) async throws -> SlotReservation {
        try await reserve(count: count, accepted: AcceptedSends())
    }

    public func reserve(count: Int, accepted: AcceptedSends) async throws -> SlotReservation {
        let now = now
        return state.withLock { $0.reserve(count: count, accepted: accepted, at: now) }
    }

    public func pause(for duration: Duration) async throws -> PauseOutcome {
        let now = now
        return state.withLock { $0.pause(for: duration, at: now) }
    }

    public func rateLimited(retryAfter: Duration?, pause: Duration, accepted: AcceptedSends) async throws
        -> PauseOutcome
    {
        let now = now
        return state.withLock { $0.rateLimited(retryAfter: retryAfter, accepted: accepted, at: now) }
    }

    public func learnedCap() async throws -> LearnedCap? {
        let now = now
        return state.withLock { $0.learnedCap(key: "local", at: now) }
    }

    public func pauseEpoch() async throws -> Int {
        state.withLock { $0.pauseEpoch }
    }
}
