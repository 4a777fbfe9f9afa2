import Logging
import Postgres
import SessionQueue

extension RunCommand {
    /// With `--renew-expired`, puts rows whose session expired without a final decision back in the queue before
    /// the run claims anything (their old session ids are kept in previous_session_ids).
    func renewExpiredSessions(pool: PostgresConnectionPool, logger: Logger) async throws {
        let renewed = try await pool.withConnection { try await SessionRenewal.renewExpired($0) }
        logger.info("renewed expired sessions", metadata: ["rows.renewed": .stringConvertible(renewed)])
    }
}
