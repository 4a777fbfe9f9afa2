import ArgumentParser
import Foundation
import Provisioning

/// SIGINT/SIGTERM handling for a run: the first signal asks the run to stop gracefully, a second ends the process
/// at once (rows it held are rescued by the next run, marked in doubt).
enum SignalHandling {
    static func withStopOnSignals<T: Sendable>(_ control: RunControl, _ body: () async throws -> T) async throws -> T {
        let signals = TerminationSignals()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                guard await signals.next() != nil else { return }
                FileHandle.standardError.write(
                    Data("provisioner: stopping (finishing in-flight requests; signal again to stop at once)\n".utf8))
                control.requestStop(.signal)
                guard await signals.next() != nil else { return }
                FileHandle.standardError.write(Data("provisioner: second signal, stopping now\n".utf8))
                _exit(ExitStatus.interrupted.rawValue)
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
