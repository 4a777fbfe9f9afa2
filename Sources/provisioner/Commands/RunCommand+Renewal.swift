import ArgumentParser
import Logging
import SessionQueue

/// `run --renew-expired`: renew expired sessions before claiming (see `provisioner renew`, docs/webhooks.md).
struct RenewalOptions: ParsableArguments {
    @Flag(
        name: .customLong("renew-expired"),
        help: "First put rows whose session expired without a decision back in the queue, for a new session now.")
    var renewExpired = false
}

extension RunCommand {
    /// Renews expired sessions when `--renew-expired` is given: those rows are then due in this very run.
    func renewExpiredSessions(logger: Logger) async throws {
        guard renewal.renewExpired else { return }
        let count = try await database.withConnection(logger: logger) { connection in
            try await SessionRenewal.renewExpired(connection)
        }
        logger.info("renewed expired sessions", metadata: ["rows": "\(count)"])
    }
}
