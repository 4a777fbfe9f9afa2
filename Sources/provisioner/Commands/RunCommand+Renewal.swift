import Logging
import SessionQueue

extension RunCommand {
    /// With `--renew-expired`, puts rows whose session expired without a final decision back in the queue before
    /// the run claims anything (their old session ids are kept in previous_session_ids).
    func renewExpiredSessions(logger: Logger) async throws {
        guard renewExpired else { return }
        let renewed = try await database.withConnection(logger: logger) { connection in
            try await SessionRenewal.renewExpired(connection)
        }
        logger.info("renewed expired sessions", metadata: ["rows.renewed": "\(renewed)"])
    }
}
