import Synchronization

/// A limiter store in memory, for one process: the GCRA state behind a `Mutex`, timed by a `Clock`.
public final class LocalRateLimiterStore<C: Clock>: RateLimiterStore where C.Duration == Duration {
    private let clock: C
    private let origin: C.Instant
    private let state: Mutex<GCRA>

    /// Creates a store whose first slot is free now.
    /// - Parameters:
    ///   - configuration: the limiter's parameters.
    ///   - clock: the clock that times the slots.
    public init(configuration: RateLimitConfiguration, clock: C) {
        self.clock = clock
        self.origin = clock.now
        self.state = Mutex(GCRA(configuration: configuration, at: .zero))
    }

    public var reservesInBatches: Bool { false }
    public var pauseCheckInterval: Duration? { nil }

    /// The GCRA state, for tests and diagnostics.
    public var snapshot: GCRA { state.withLock { $0 } }

    public func reserve(count: Int) async throws -> SlotReservation {
        let now = origin.duration(to: clock.now)
        return state.withLock { $0.reserve(count: count, at: now) }
    }

    public func pause(for duration: Duration) async throws -> PauseOutcome {
        let now = origin.duration(to: clock.now)
        return state.withLock { $0.pause(for: duration, at: now) }
    }

    public func pauseEpoch() async throws -> Int {
        state.withLock { $0.pauseEpoch }
    }
}
