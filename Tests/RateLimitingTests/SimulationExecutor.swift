import Foundation
import Synchronization

/// One thread that runs every job of a simulation, one after another.
///
/// Simulated senders hand work to each other thousands of times per schedule (a clock wake-up, an actor hop, a
/// refill). On the shared cooperative pool each hand-off may wake another thread, and on a busy machine each wake-up
/// waits for the scheduler: the simulation's cost then grows with the machine's load, not with its work. On one
/// thread a hand-off is a queue append, and jobs run back to back.
final class SimulationExecutor: TaskExecutor, Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var head = 0
        var stopping = false
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    private init() {}

    /// Runs `body` with a new executor whose thread lives as long as the call.
    static func with<T>(_ body: (SimulationExecutor) async throws -> T) async rethrows -> T {
        let executor = SimulationExecutor()
        let thread = Thread(block: { executor.runLoop() })
        thread.name = "simulation"
        thread.start()
        defer { executor.stop() }
        return try await body(executor)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.withLock { $0.jobs.append(job) }
        ready.signal()
    }

    private func runLoop() {
        while true {
            ready.wait()
            let next: UnownedJob? = state.withLock { state in
                guard state.head < state.jobs.count else { return nil }
                defer {
                    state.head += 1
                    if state.head > 1024 && state.head * 2 > state.jobs.count {
                        state.jobs.removeFirst(state.head)
                        state.head = 0
                    }
                }
                return state.jobs[state.head]
            }
            guard let next else {
                if state.withLock({ $0.stopping }) { return }  // woken by stop() with nothing left to run
                continue
            }
            next.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Ends the thread once every job enqueued so far has run.
    private func stop() {
        state.withLock { $0.stopping = true }
        ready.signal()
    }
}
