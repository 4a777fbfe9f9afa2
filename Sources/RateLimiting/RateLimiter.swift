import Logging

/// A send-rate limiter: hands out GCRA slots from a store (in memory or shared through PostgreSQL), waits for
/// them on a local clock, and pauses and slows down on 429 feedback.
///
/// Guarantee: with every sender of every runner acquiring through limiters with the same configuration and key,
/// any window of length `configuration.window` holds at most `configuration.windowLimit` returns from
/// ``acquire()``. Slots are turned into local deadlines from the store's `now`, and a slot more than
/// `latenessLimit` old, or taken before a pause, is dropped instead of used.
public actor RateLimiter<C: Clock>: SendRateLimiter where C.Duration == Duration {
    /// One reserved slot, as a deadline on the local clock.
    private struct Slot {
        var deadline: C.Instant
        var reservedAt: C.Instant
        var generation: Int
    }

    /// The limiter's parameters.
    public nonisolated let configuration: RateLimitConfiguration
    private let store: any RateLimiterStore
    private let clock: C
    private let logger: Logger
    private let refillWaiters = RefillWaiters()

    private var slots: [Slot] = []
    private var nextSlot = 0
    private var refilling = false
    /// Bumped whenever reserved slots become unusable (a pause here or, learnt from the store, elsewhere).
    private var generation = 0
    private var knownStoreEpoch: Int?
    private var localPauseUntil: C.Instant?
    /// When the store's pause epoch was last read (by a reservation or a check).
    private var epochCheckedAt: C.Instant?
    /// Slots used since the last reservation: the next batch is at most twice that.
    private var usedSinceRefill = 0
    private var stats = RateLimiterStatistics()
    /// The store's clock as of the last answer from it, against the local clock: turns local instants into buckets.
    private var storeTime: (store: Duration, local: C.Instant)?
    /// Sends answered "created" since the last call to the store, by bucket of the store's clock.
    private var pendingAccepted = AcceptedSends()
    /// 429 reports waiting for the store: no reservation is taken meanwhile (it could be at the old rate).
    private var reportsInFlight = 0

    /// Creates a limiter over a store.
    /// - Parameters:
    ///   - configuration: the cap, headroom and window; every limiter sharing a store must use the same.
    ///   - store: where the GCRA state lives.
    ///   - clock: the local clock to wait on.
    ///   - logger: where pauses and store failures are logged.
    public init(configuration: RateLimitConfiguration, store: any RateLimiterStore, clock: C, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    public var currentRatePerMinute: Double { configuration.targetPerMinute * stats.rateFactor }
    public var rateLimitedCount: Int { stats.rateLimited }
    /// The limiter's counters.
    public var statistics: RateLimiterStatistics { stats }

    public func acquire() async throws {
        while true {
            try Task.checkCancellation()
            if let pause = localPauseUntil, clock.now < pause {
                try await clock.sleep(until: pause, tolerance: nil)
                continue
            }
            guard let slot = takeSlot() else {
                try await refill()
                continue
            }
            try await clock.sleep(until: slot.deadline, tolerance: nil)
            if try await isUsable(slot) {
                stats.acquired += 1
                usedSinceRefill += 1
                return
            }
            stats.droppedSlots += 1
        }
    }

    public func reportRateLimited(retryAfter: Duration?) async {
        stats.rateLimited += 1
        let pause = configuration.pauseDuration(retryAfter: retryAfter)
        // Nothing more goes out at the old rate: reserved slots are dropped, and no new ones are taken until the
        // store has the measurement. A Retry-After is honoured at once; without one the store sets the pause.
        generation += 1
        if retryAfter != nil || !configuration.capDiscovery {
            let until = clock.now.advanced(by: pause)
            localPauseUntil = max(localPauseUntil ?? until, until)
        }
        reportsInFlight += 1
        defer {
            reportsInFlight -= 1
            if reportsInFlight == 0 && !refilling { refillWaiters.resumeAll() }
        }
        let accepted = pendingAccepted
        pendingAccepted = AcceptedSends()
        do {
            let sentAt = clock.now
            let outcome: PauseOutcome
            if configuration.capDiscovery {
                outcome = try await store.rateLimited(retryAfter: retryAfter, pause: pause, accepted: accepted)
            } else {
                outcome = try await store.pause(for: pause)
            }
            let receivedAt = clock.now
            noteStoreTime(outcome.now, sentAt: sentAt, receivedAt: receivedAt)
            let until = receivedAt.advanced(by: max(.zero, outcome.pausedUntil - outcome.now))
            localPauseUntil = max(localPauseUntil ?? until, until)
            stats.rateFactor = outcome.rateFactor
            noteStoreEpoch(outcome.pauseEpoch)
            var metadata: Logger.Metadata = [
                "limiter.pause_seconds": "\((outcome.pausedUntil - outcome.now) / .seconds(1))",
                "limiter.rate_cut": "\(outcome.rateCut)", "limiter.rate_factor": "\(outcome.rateFactor)",
                "limiter.rate_limited_total": "\(outcome.rateLimitedTotal)",
            ]
            if let cap = outcome.learnedCap {
                let perMinute = Duration.seconds(60) / configuration.window
                metadata["limiter.learned_per_minute"] = "\(cap * perMinute)"
                metadata["limiter.accepted_in_window"] = "\(outcome.measured ?? 0)"
            }
            logger.warning("Rate limited (429): every sender pauses", metadata: metadata)
        } catch {
            let until = clock.now.advanced(by: pause)
            localPauseUntil = max(localPauseUntil ?? until, until)
            logger.error(
                "Rate limited (429), but the pause could not be shared; pausing this runner only",
                metadata: ["error": "\(error)"])
        }
    }

    public func reportSuccess() async {
        stats.succeeded += 1
    }

    public func reportCreated() async {
        stats.succeeded += 1
        stats.created += 1
        guard configuration.capDiscovery, let storeTime else { return }
        let now = storeTime.store + storeTime.local.duration(to: clock.now)
        pendingAccepted.add(bucket: CapEstimator.bucket(of: now, window: configuration.window))
    }

    public var learnedCap: LearnedCap? {
        get async { try? await store.learnedCap() }
    }

    /// Maps the store's clock to the local one from a round trip (the store's `now` is taken to be at its middle).
    private func noteStoreTime(_ storeNow: Duration, sentAt: C.Instant, receivedAt: C.Instant) {
        storeTime = (storeNow, sentAt.advanced(by: sentAt.duration(to: receivedAt) / 2))
    }

    /// Pops the next slot that is still worth sleeping for; drops stale ones.
    private func takeSlot() -> Slot? {
        let now = clock.now
        while nextSlot < slots.count {
            let slot = slots[nextSlot]
            nextSlot += 1
            if slot.generation == generation && now <= slot.deadline.advanced(by: configuration.latenessLimit) {
                return slot
            }
            stats.droppedSlots += 1
        }
        slots.removeAll(keepingCapacity: true)
        nextSlot = 0
        return nil
    }

    /// Whether a slot whose deadline has come may be used: no pause since it was taken, and not too late.
    ///
    /// With a shared store, another runner may have set a pause since: the store's epoch is read again when the
    /// last reading is older than `pauseCheckInterval` (about one round trip per interval, whatever the rate).
    private func isUsable(_ slot: Slot) async throws -> Bool {
        if let interval = store.pauseCheckInterval, slot.generation == generation,
            epochCheckedAt.map({ $0.duration(to: clock.now) > interval }) ?? true
        {
            // Marked before the round trip, so senders waking meanwhile do not each ask again (their knowledge is
            // then at most one interval plus one round trip old).
            epochCheckedAt = clock.now
            noteStoreEpoch(try await store.pauseEpoch())
        }
        guard slot.generation == generation else { return false }
        if let pause = localPauseUntil, clock.now < pause { return false }
        return clock.now <= slot.deadline.advanced(by: configuration.latenessLimit)
    }

    /// Invalidates slots taken before a pause the store knows of and this limiter did not.
    private func noteStoreEpoch(_ epoch: Int) {
        if let known = knownStoreEpoch, epoch > known { generation += 1 }
        knownStoreEpoch = max(knownStoreEpoch ?? epoch, epoch)
    }

    /// Reserves the next batch of slots, or waits for the sender already doing it.
    private func refill() async throws {
        if refilling || reportsInFlight > 0 {
            try await refillWaiters.wait()
            return
        }
        refilling = true
        defer {
            refilling = false
            refillWaiters.resumeAll()
        }
        let count = batchSize()
        usedSinceRefill = 0
        let accepted = pendingAccepted
        pendingAccepted = AcceptedSends()
        // A 429 reported during the round trip makes these slots unusable (they may be at the old rate).
        let reportsBefore = stats.rateLimited
        let sentAt = clock.now
        let reservation =
            configuration.capDiscovery
            ? try await store.reserve(count: count, accepted: accepted) : try await store.reserve(count: count)
        let receivedAt = clock.now
        noteStoreTime(reservation.now, sentAt: sentAt, receivedAt: receivedAt)
        epochCheckedAt = max(epochCheckedAt ?? sentAt, sentAt)
        stats.reservations += 1
        stats.rateFactor = reservation.rateFactor
        noteStoreEpoch(reservation.pauseEpoch)
        guard stats.rateLimited == reportsBefore else {
            stats.droppedSlots += reservation.count
            return
        }
        // Store time to local time from the store's `now`: a slot is never used before its store time,
        // only up to one round trip after it (part of the jitter the slack covers).
        for index in 0..<reservation.count {
            let offset = reservation.slot(index, tolerance: configuration.burstTolerance) - reservation.now
            slots.append(
                Slot(deadline: receivedAt.advanced(by: offset), reservedAt: receivedAt, generation: generation))
        }
    }

    /// How many slots one reservation takes: one per call for an in-memory store, else `batchDuration` worth,
    /// but at most twice what the senders used of the last batch, so a runner that cannot keep up does not take
    /// slots it will drop (lost for every runner).
    private func batchSize() -> Int {
        guard store.reservesInBatches else { return 1 }
        let spacing = configuration.emissionInterval / stats.rateFactor
        let byTime = Int(min(max((configuration.batchDuration / spacing).rounded(.down), 1), 1e9))
        return max(1, min(byTime, configuration.maximumBatch, 2 * max(usedSinceRefill, 1)))
    }
}

extension RateLimiter {
    /// A limiter for one process, with its state in memory.
    /// - Parameters:
    ///   - configuration: the cap, headroom and window.
    ///   - clock: the clock to time and wait on.
    ///   - logger: where pauses are logged.
    public static func local(configuration: RateLimitConfiguration, clock: C, logger: Logger) -> RateLimiter<C> {
        // On the real clock, store time is Unix time, as in PostgreSQL: clock minutes fall on window boundaries.
        let epoch = clock is ContinuousClock ? UnixTime.now : .zero
        return RateLimiter(
            configuration: configuration,
            store: LocalRateLimiterStore(configuration: configuration, clock: clock, epoch: epoch),
            clock: clock, logger: logger)
    }
}
