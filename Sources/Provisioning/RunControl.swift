import Synchronization
import VeriffAPI

/// Why a run stops before the queue is empty. The first reason wins.
public enum StopReason: Sendable, Equatable {
    /// SIGINT/SIGTERM: stop claiming, finish in-flight requests, write back, exit.
    case signal
    /// `--max-duration` is up.
    case deadline
    /// Veriff refused the key, integration or URL.
    case fatal(VeriffFailure)
    /// The circuit breaker opened.
    case veriffUnavailable(String)
    /// The database could not be reached to claim or write back.
    case databaseUnavailable(String)
}

/// Lets anything (a signal handler, a sender that saw a 401, the circuit breaker) ask a run to stop, and lets the run
/// wait for that.
public final class RunControl: Sendable {
    private struct State {
        var reason: StopReason?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the run to stop; later reasons are ignored.
    public func requestStop(_ reason: StopReason) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// The reason the run was asked to stop, if it was.
    public var stopReason: StopReason? { state.withLock { $0.reason } }

    /// Whether a stop was requested.
    public var isStopping: Bool { stopReason != nil }

    /// Returns once a stop is requested (at once if it already was), or when the waiting task is cancelled.
    public func waitForStop() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    guard state.reason == nil, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
