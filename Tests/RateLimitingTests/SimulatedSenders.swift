import Synchronization

@testable import RateLimiting

/// Drives concurrent senders on a ``ManualClock``: whenever every live sender is asleep, the clock jumps to the
/// earliest deadline. Time only passes when nothing can run, so the results do not depend on the machine's speed.
struct SimulatedSenders {
    /// What one sender does: waits until each wanted time (idle time), then acquires and records the time.
    struct Plan: Sendable {
        /// Offsets from the clock's start at which the sender wants to send, ascending.
        var wantedAt: [Duration]
    }

    /// What the concurrent senders share: the send times and how many are still running.
    private final class Record: Sendable {
        let sent = Mutex<[Duration]>([])
        let live: Atomic<Int>

        init(live: Int) { self.live = Atomic(live) }
    }

    let clock: ManualClock

    /// Something that happens at a set time while the senders run (e.g. a 429 report).
    struct Event: Sendable {
        var at: Duration
        var action: @Sendable () async -> Void
    }

    /// Runs `plans` concurrently against `limiters` (sender `i` uses `limiters[i % count]`), each sender
    /// acquiring once per wanted time and then staying busy for `between(sender, send)`.
    /// - Returns: the clock times at which `acquire()` returned, sorted.
    func run(
        _ plans: [Plan], limiters: [RateLimiter<ManualClock>], events: [Event] = [],
        between: (@Sendable (_ sender: Int, _ send: Int) -> Duration)? = nil
    ) async throws -> [Duration] {
        // Every task of the simulation, and the limiters' actors, run on one thread (see SimulationExecutor).
        try await SimulationExecutor.with { executor in
            try await withTaskExecutorPreference(executor) {
                try await simulate(plans, limiters: limiters, events: events, between: between)
            }
        }
    }

    private func simulate(
        _ plans: [Plan], limiters: [RateLimiter<ManualClock>], events: [Event],
        between: (@Sendable (_ sender: Int, _ send: Int) -> Duration)?
    ) async throws -> [Duration] {
        let record = Record(live: plans.count + events.count)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for event in events {
                group.addTask { [clock] in
                    defer {
                        record.live.subtract(1, ordering: .sequentiallyConsistent)
                        clock.poke()
                    }
                    try await clock.sleep(until: ManualClock.Instant(offset: event.at))
                    await event.action()
                }
            }
            for (index, plan) in plans.enumerated() {
                let limiter = limiters[index % limiters.count]
                group.addTask { [clock] in
                    defer {
                        record.live.subtract(1, ordering: .sequentiallyConsistent)
                        clock.poke()
                    }
                    for (number, wanted) in plan.wantedAt.enumerated() {
                        try await clock.sleep(until: ManualClock.Instant(offset: wanted))
                        try await limiter.acquire()
                        let at = clock.now.offset
                        record.sent.withLock { $0.append(at) }
                        if let between {
                            try await clock.sleep(until: clock.now.advanced(by: between(index, number)))
                        }
                    }
                }
            }
            group.addTask { [clock] in
                while true {
                    // Everyone asleep (refills in memory finish without time passing): jump to the next deadline.
                    await clock.waitUntilAsleep { record.live.load(ordering: .sequentiallyConsistent) }
                    guard record.live.load(ordering: .sequentiallyConsistent) > 0 else { return }
                    if let next = clock.nextDeadline { clock.advance(to: next) }
                }
            }
            try await group.waitForAll()
        }
        return record.sent.withLock { $0 }.sorted()
    }

    /// Runs `plans` against one limiter.
    func run(
        _ plans: [Plan], limiter: RateLimiter<ManualClock>, events: [Event] = [],
        between: (@Sendable (_ sender: Int, _ send: Int) -> Duration)? = nil
    ) async throws -> [Duration] {
        try await run(plans, limiters: [limiter], events: events, between: between)
    }
}
