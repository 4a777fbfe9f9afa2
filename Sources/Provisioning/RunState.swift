import SessionQueue
import Synchronization

/// The mutable state of one run, shared by its dispatcher, senders, writer and progress reporter.
final class RunState: Sendable {
    struct Values {
        var counts = RunCounts()
        var sent = 0
        /// When the first and the latest request were sent (for the achieved rate, start-up excluded).
        var firstSend: ContinuousClock.Instant?
        var lastSend: ContinuousClock.Instant?
        var inFlight = 0
        /// Results handed to the writer but not yet written back.
        var unflushed = 0
        var concurrency: ConcurrencyTarget
        var breaker: CircuitBreaker
        var slotWaiter: CheckedContinuation<Void, any Error>?
        var slotLimit = 1
        var generator = SystemRandomNumberGenerator()
    }

    let values: Mutex<Values>

    init(concurrency: ConcurrencyTarget, breaker: CircuitBreaker) {
        values = Mutex(Values(concurrency: concurrency, breaker: breaker))
    }

    func update<T>(_ body: (inout Values) -> T) -> T { values.withLock { body(&$0) } }

    var counts: RunCounts { values.withLock { $0.counts } }

    /// Counts a request sent now.
    func recordSend() {
        let now = ContinuousClock.now
        values.withLock { state in
            state.sent += 1
            if state.firstSend == nil { state.firstSend = now }
            state.lastSend = now
        }
    }

    /// Sends per minute between the first and the latest send: n − 1 intervals over their span, the rate the limiter
    /// actually held (0 with fewer than two sends).
    var achievedPerMinute: Double {
        values.withLock { state in
            guard let first = state.firstSend, let last = state.lastSend, state.sent > 1, last > first else { return 0 }
            return Double(state.sent - 1) / ((last - first) / .seconds(1)) * 60
        }
    }

    /// Waits until fewer than `limit` requests are in flight, then counts one more. Only the dispatcher calls it.
    /// - Throws: `CancellationError` when the dispatcher is cancelled while waiting.
    func acquireSendSlot(limit: Int) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admitted = values.withLock { state -> Bool? in
                    if Task.isCancelled { return nil }
                    if state.inFlight < limit {
                        state.inFlight += 1
                        return true
                    }
                    state.slotLimit = limit
                    state.slotWaiter = continuation
                    return false
                }
                switch admitted {
                case nil: continuation.resume(throwing: CancellationError())
                case true?: continuation.resume()
                case false?: break
                }
            }
        } onCancel: {
            let waiter = values.withLock { state in
                defer { state.slotWaiter = nil }
                return state.slotWaiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Gives back a send slot (a request finished, or was never sent).
    func releaseSendSlot() {
        let waiter = values.withLock { state -> CheckedContinuation<Void, any Error>? in
            state.inFlight -= 1
            guard let waiter = state.slotWaiter, state.inFlight < state.slotLimit else { return nil }
            state.slotWaiter = nil
            state.inFlight += 1
            return waiter
        }
        waiter?.resume()
    }
}
