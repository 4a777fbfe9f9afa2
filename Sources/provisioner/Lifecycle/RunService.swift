import Provisioning
import ServiceLifecycle
import Synchronization

/// A provisioning run as a service: graceful shutdown (the first SIGINT/SIGTERM) asks the run to stop claiming,
/// finish in-flight requests and write everything back; the summary is kept for the command to print.
final class RunService: Service, Sendable {
    private let provisioning: ProvisioningRun
    private let control: RunControl
    private let outcome = Mutex<Result<RunSummary, any Error>?>(nil)

    /// - Parameters:
    ///   - provisioning: The run.
    ///   - control: The run's stop control (the one given to `provisioning`).
    init(_ provisioning: ProvisioningRun, control: RunControl) {
        self.provisioning = provisioning
        self.control = control
    }

    func run() async throws {
        let result: Result<RunSummary, any Error>
        do {
            result = .success(
                try await withGracefulShutdownHandler {
                    try await provisioning.run()
                } onGracefulShutdown: { [control] in
                    control.requestStop(.signal)
                })
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
    }

    /// The run's summary.
    /// - Throws: What the run threw (the database was unreachable at the start), or `CancellationError` when the
    ///   run never finished.
    func summary() throws -> RunSummary {
        guard let result = outcome.withLock({ $0 }) else { throw CancellationError() }
        return try result.get()
    }
}
