import Foundation
import Logging
import Synchronization

/// Sets up swift-log for the process: one handler writing to standard error, JSON lines when standard error is not a
/// terminal (cron mail, journald, Kubernetes), plain text when a person is watching.
enum LoggingBootstrap {
    private static let done = Mutex(false)

    /// Bootstraps the logging system the first time it is called; later calls do nothing (swift-log allows one).
    /// - Parameter level: The least severe level written.
    static func bootstrapOnce(level: Logger.Level) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        let format: StderrLogHandler.Format = isatty(STDERR_FILENO) == 1 ? .text : .json
        LoggingSystem.bootstrap { label in
            var handler = StderrLogHandler(label: label, format: format)
            handler.logLevel = level
            return handler
        }
    }
}
