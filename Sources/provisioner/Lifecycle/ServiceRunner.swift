import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs one long-lived part of the provisioner (a run, the stand-in) as a service in a `ServiceGroup`: SIGINT and
/// SIGTERM trigger its graceful shutdown, a second signal ends the process at once (``SecondSignalExit``), and the
/// group ends when the service returns.
enum ServiceRunner {
    /// Runs `service` until it returns or a signal stops it gracefully.
    /// - Parameters:
    ///   - service: The main service; it must return soon after its graceful shutdown is triggered.
    ///   - firstSignalMessage: What the first signal prints on standard error.
    ///   - logger: For the group's own events (signals caught), at notice level and above.
    /// - Throws: What the group throws (a service that threw).
    static func run(_ service: some Service, firstSignalMessage: String, logger: Logger) async throws {
        var groupLogger = logger
        groupLogger.logLevel = max(logger.logLevel, .notice)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(
                        service: SecondSignalExit(
                            firstSignalMessage: firstSignalMessage, exitStatus: ExitStatus.interrupted.rawValue)),
                    .init(
                        service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: groupLogger))
        try await group.run()
    }
}
