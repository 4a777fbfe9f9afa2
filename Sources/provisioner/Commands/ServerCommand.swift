import ArgumentParser
import Foundation
import Logging
import OperatorServer
import Postgres
import SessionQueue
import Webhooks

/// What `serve` and `webhooks` do once their flags are read: check the database, then run the operator server
/// until SIGTERM or SIGINT.
enum ServerCommand {
    /// Runs the server; returns after a graceful stop (exit 0).
    ///
    /// - Parameters:
    ///   - options: The server's flags.
    ///   - dashboardToken: Turns `/metrics` and the dashboard on; `nil` for `webhooks`.
    ///   - database: How to reach PostgreSQL.
    ///   - logger: The server's lines.
    /// - Throws: `ValidationError` for a bad configuration (exit 64), `ExitStatus` for an unusable database.
    static func run(
        options: ServerOptions, dashboardToken: DashboardToken?, database: DatabaseOptions, logger: Logger
    ) async throws {
        let configuration = try options.configuration(
            ProcessInfo.processInfo.environment, dashboardToken: dashboardToken)
        try await checkDatabase(database, logger: logger)
        try await database.withPool(logger: logger, maximum: options.connections) { pool in
            let store = PostgresWebhookStore(pool: pool)
            let server = try OperatorServer(
                configuration: configuration, database: store, store: store, logger: logger)
            try await server.run { address in
                FileHandle.standardOutput.write(Data("listening on \(address.baseURL)\n".utf8))
                logger.info(
                    "serving",
                    metadata: [
                        "http.url": "\(address.baseURL)",
                        "webhook.decision_path": "\(configuration.webhooks.decisionPath)",
                        "webhook.event_path": "\(configuration.webhooks.eventPath)",
                        "dashboard": "\(configuration.dashboardEnabled ? "on" : "off")",
                    ])
            }
        }
        logger.info("stopped")
    }

    /// Refuses to start against a database that cannot be reached (exit 75) or was never migrated (exit 64): the
    /// receiver would only answer 503 and Veriff would keep retrying.
    private static func checkDatabase(_ database: DatabaseOptions, logger: Logger) async throws {
        let ready = try await database.withConnection(logger: logger) { connection in
            try await SessionLifecycle.isReady(on: connection)
        }
        guard ready else {
            ErrorOutput.write("provisioner: the database has no webhook_events table: run `provisioner migrate` first")
            throw ExitStatus.usage
        }
    }
}
