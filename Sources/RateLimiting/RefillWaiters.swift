import Synchronization

/// Senders waiting for another sender's reservation round trip to finish; cancellable from any thread.
final class RefillWaiters: Sendable {
    private struct State {
        var nextID = 0
        var waiting: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state = Mutex(State())

    /// Waits until ``resumeAll()`` is called, or throws `CancellationError` when the task is cancelled.
    ///
    /// Runs on the caller's actor up to the point it is registered, so a `resumeAll()` from that actor cannot
    /// slip in between the caller's check and the registration.
    func wait(isolation: isolated (any Actor)? = #isolation) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            // `isolation` is passed on explicitly: a closure that does not capture the isolated parameter is
            // nonisolated, so the registration below would run after a hop off the caller's actor, and a
            // `resumeAll()` could come first and be lost (a sender then waits for a refill nobody else may make).
            try await withCheckedThrowingContinuation(isolation: isolation) {
                (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    state.withLock { $0.waiting[id] = continuation }
                }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }

    /// Wakes every waiter.
    func resumeAll() {
        let waiting = state.withLock { state in
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting.values { continuation.resume() }
    }
}
