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

    fileprivate struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        /// Bumped when a task starts sleeping or ``poke()`` is called; drivers wait for it to change.
        var version = 0
        var watchers: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// How many tasks are sleeping on this clock.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline of a sleeper.
    var nextDeadline: Instant? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (wakeNow, watchers) = state.withLock { state in
                    if deadline <= state.now { return (true, [CheckedContinuation<Void, Never>]()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return (false, state.bumpVersion())
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

    /// The current version: it changes whenever a task starts sleeping or ``poke()`` is called.
    var version: Int { state.withLock { $0.version } }

    /// Signals a change a driver may be waiting for (e.g. a simulated task finished).
    func poke() {
        for watcher in state.withLock({ $0.bumpVersion() }) { watcher.resume() }
    }

    /// Waits until the version differs from `version` (returns at once if it already does).
    func waitForChange(since version: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let changed = state.withLock { state in
                if state.version != version { return true }
                state.watchers.append(continuation)
                return false
            }
            if changed { continuation.resume() }
        }
    }

    /// Moves the clock on by `duration`.
    func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }
}

extension ManualClock.State {
    /// Bumps the version and hands back the watchers to resume (outside the lock).
    fileprivate mutating func bumpVersion() -> [CheckedContinuation<Void, Never>] {
        version += 1
        defer { watchers.removeAll() }
        return watchers
    }
}
