import ArgumentParser
import Dispatch
import Foundation
import Provisioning
import Synchronization

/// SIGINT/SIGTERM handling for a run: the first signal asks the run to stop gracefully, a second ends the process
/// at once (rows it held are rescued by the next run, marked in doubt).
enum SignalHandling {
    static func withStopOnSignals<T>(_ control: RunControl, _ body: () async throws -> T) async throws -> T {
        let count = SignalCounter()
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() > 1 {
                    FileHandle.standardError.write(Data("provisioner: second signal, stopping now\n".utf8))
                    _exit(ExitStatus.interrupted.rawValue)
                }
                FileHandle.standardError.write(
                    Data("provisioner: stopping (finishing in-flight requests; signal again to stop at once)\n".utf8))
                control.requestStop(.signal)
            }
            source.resume()
            return source
        }
        defer {
            sources.forEach { $0.cancel() }
            [SIGINT, SIGTERM].forEach { signal($0, SIG_DFL) }
        }
        return try await body()
    }
}

/// Counts signals received (thread-safe; the handlers run on a Dispatch queue).
private final class SignalCounter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}
