import Foundation
import ServiceLifecycle
import UnixSignals

/// The operator's emergency brake, as a service listed before the main one: the first SIGINT/SIGTERM starts the
/// group's graceful shutdown (finish in-flight work, write everything back); a second one ends the process at
/// once. What a killed run held is rescued by the next run, marked in doubt.
///
/// The group shuts services down in reverse order, so this one is told to stop only after the main service has
/// finished, and keeps listening until then.
struct SecondSignalExit: Service {
    /// What the first signal prints (standard error), e.g. "stopping (finishing in-flight requests; ...)".
    var firstSignalMessage: String
    /// The exit status of the second signal.
    var exitStatus: Int32

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        try await cancelWhenGracefulShutdown {
            var seen = 0
            for await _ in signals {
                seen += 1
                if seen == 1 {
                    FileHandle.standardError.write(Data("\(firstSignalMessage)\n".utf8))
                } else {
                    FileHandle.standardError.write(Data("provisioner: second signal, stopping now\n".utf8))
                    _exit(exitStatus)
                }
            }
        }
    }
}
