import ArgumentParser
import Foundation
import Logging

/// `--log-level`, shared by every command; PROVISIONER_LOG_LEVEL when the flag is absent, else `info`.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical (else PROVISIONER_LOG_LEVEL; default info). "
                + "Logs go to standard error: JSON lines when it is not a terminal, plain text when it is.",
            valueName: "level"
        )
    )
    var logLevel: String?

    func validate() throws {
        _ = try level(environment: ProcessInfo.processInfo.environment)
    }

    /// The level from the flag, else the variable, else `defaultLevel`.
    /// - Throws: `ValidationError` naming the flag or variable whose value is not a level.
    func level(environment: [String: String], defaultLevel: Logger.Level = .info) throws -> Logger.Level {
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw ValidationError("--log-level must be one of \(Self.levelNames), got \"\(logLevel)\"")
            }
            return level
        }
        if let raw = environment["PROVISIONER_LOG_LEVEL"], !raw.isEmpty {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw ValidationError("PROVISIONER_LOG_LEVEL must be one of \(Self.levelNames), got \"\(raw)\"")
            }
            return level
        }
        return defaultLevel
    }

    /// Bootstraps the logging system (once per process) and returns a logger for `label`.
    /// - Parameters:
    ///   - label: Dotted, e.g. `provisioner.migrate`.
    ///   - defaultLevel: The level without flag or variable: `info`, or `warning` for commands that print their own
    ///     summary (enqueue, export, qr).
    func makeLogger(label: String, defaultLevel: Logger.Level = .info) -> Logger {
        let level =
            (try? level(environment: ProcessInfo.processInfo.environment, defaultLevel: defaultLevel)) ?? defaultLevel
        LoggingBootstrap.bootstrapOnce(level: level)
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    private static let levelNames = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
}
