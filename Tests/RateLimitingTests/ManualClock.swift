import Synchronization

/// A clock that only moves when a test moves it; sleepers wake when it passes their deadline.
final class ManualClock: Clock, Sendable {
    /// A point on the manual clock: an offset from its start.
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Self { Self(offset: offset + duration) }
        func duration(to other: Self) -> Duration { other.offset - offset }
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.offset < rhs.offset }
    }

    fileprivate struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    /// A task waiting until enough tasks sleep on the clock.
    fileprivate struct Watcher {
        var sleepers: @Sendable () -> Int
        var continuation: CheckedContinuation<Void, Never>
    }

    fileprivate struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        var watchers: [Watcher] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// How many tasks are sleeping on this clock.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline of a sleeper.
    var nextDeadline: Instant? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// Sleeps until the clock reaches `deadline`; a deadline that has come returns at once, without suspending
    /// (as many of a simulation's sleeps do: a wanted time already past, no busy time between two sends).
    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        if deadline <= now { return }
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (wakeNow, watchers) = state.withLock { state in
                    if deadline <= state.now { return (true, [CheckedContinuation<Void, Never>]()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return (false, state.satisfiedWatchers())
                }
                if wakeNow { continuation.resume() }
                for watcher in watchers { watcher.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock to `instant` (never backwards) and wakes every sleeper whose deadline has come.
    func advance(to instant: Instant) {
        let due = state.withLock { state in
            state.now = max(state.now, instant)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Moves the clock on by `duration`.
    func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// Waits until at least `sleepers()` tasks sleep on the clock (at once if they already do, or if it is zero).
    ///
    /// Checked when a task starts sleeping and when ``poke()`` is called (call it when `sleepers()` drops), so a
    /// driver wakes once per quiet moment, not once per sleeper.
    func waitUntilAsleep(_ sleepers: @escaping @Sendable () -> Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.sleepers.count >= sleepers() { return true }
                state.watchers.append(Watcher(sleepers: sleepers, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Checks the waiting drivers again (e.g. a simulated task finished, so fewer sleepers are needed).
    func poke() {
        for watcher in state.withLock({ $0.satisfiedWatchers() }) { watcher.resume() }
    }
}

extension ManualClock.State {
    /// Removes and hands back the watchers whose wait is over (to resume outside the lock).
    fileprivate mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
        guard !watchers.isEmpty else { return [] }
        let count = sleepers.count
        var satisfied: [CheckedContinuation<Void, Never>] = []
        watchers.removeAll { watcher in
            guard count >= watcher.sleepers() else { return false }
            satisfied.append(watcher.continuation)
            return true
        }
        return satisfied
    }
}
