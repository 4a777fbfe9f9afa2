import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Logging
import Postgres
import ServiceLifecycle
import Support
import VeriffAPI
import Webhooks

/// `provisioner webhooks`: receives Veriff's decision and event webhooks and records them on the queue.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Receive Veriff's signed decision and event webhooks and record each session's status.",
        discussion: """
            Run it behind the company's reverse proxy (TLS there). Prints "listening on http://HOST:PORT" when \
            ready; stops gracefully on SIGINT or SIGTERM. The shared secret comes from VERIFF_SHARED_SECRET or \
            --shared-secret-file, the API key (compared with X-AUTH-CLIENT) from VERIFF_API_KEY or --api-key-file. \
            The database from DATABASE_URL, else libpq's PG* variables. See docs/webhooks.md.
            """
    )

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host:port"))
    var listen = "127.0.0.1:8088"

    @Option(name: .customLong("decision-path"), help: "Where Veriff posts decision webhooks.")
    var decisionPath = "/webhooks/decision"

    @Option(name: .customLong("event-path"), help: "Where Veriff posts event webhooks.")
    var eventPath = "/webhooks/event"

    @Option(name: .customLong("health-path"), help: "The health check: 200 when the database answers, else 503.")
    var healthPath = "/healthz"

    @Option(
        name: .customLong("shared-secret-file"),
        help: ArgumentHelp(
            "Read the webhook shared secret from this file (else VERIFF_SHARED_SECRET). Never pass the secret itself.",
            valueName: "path"))
    var sharedSecretFile: String?

    @Option(
        name: .customLong("api-key-file"),
        help: ArgumentHelp("Read the Veriff API key from this file (else VERIFF_API_KEY).", valueName: "path"))
    var apiKeyFile: String?

    @Option(name: .customLong("max-body-bytes"), help: "Larger webhook bodies are refused with 413.")
    var maximumBodySize = 1 << 20

    @Option(help: "The most database connections used at once.")
    var connections = 4

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try webhookAddress()
        guard maximumBodySize >= 1024 else {
            throw ValidationError("--max-body-bytes must be at least 1024, got \(maximumBodySize)")
        }
        guard (1...64).contains(connections) else {
            throw ValidationError("--connections must be 1...64, got \(connections)")
        }
    }

    private func webhookAddress() throws -> (host: String, port: Int) {
        do {
            return try WebhookConfiguration.parseListenAddress(listen)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.webhooks")
        let configuration = try webhookConfiguration(ProcessInfo.processInfo.environment)
        try await checkDatabase(logger: logger)
        try await database.withPool(logger: logger, maximum: connections) { pool in
            let service = WebhookService(
                configuration: configuration, store: PostgresWebhookStore(pool: pool), logger: logger)
            try await ServiceRunner.run(
                service, firstSignalMessage: "provisioner webhooks: stopping (in-flight webhooks finish first)",
                logger: logger)
        }
        logger.info("stopped")
    }

    private func webhookConfiguration(_ environment: [String: String]) throws -> WebhookConfiguration {
        let (host, port) = try webhookAddress()
        do {
            let secret = try WebhookSecret.fromEnvironment(environment, file: sharedSecretFile)
            let apiKey = try VeriffConfiguration.fromEnvironment(environment, apiKeyFile: apiKeyFile).apiKey
            let configuration = WebhookConfiguration(
                host: host, port: port, decisionPath: decisionPath, eventPath: eventPath, healthPath: healthPath,
                maximumBodySize: maximumBodySize, sharedSecret: secret, apiKey: apiKey)
            try configuration.validatePaths()
            return configuration
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }

    /// Refuses to start against a database that cannot be reached (exit 75) or was never migrated (exit 64): the
    /// receiver would only answer 503 and Veriff would keep retrying.
    private func checkDatabase(logger: Logger) async throws {
        let ready = try await database.withConnection(logger: logger) { connection in
            try await connection.query("SELECT to_regclass('webhook_events') IS NOT NULL AS ready").first?
                .decode("ready", as: Bool.self) == true
        }
        guard ready else {
            printError("the database has no webhook_events table: run `provisioner migrate` first")
            throw ExitStatus.usage
        }
    }

    private func printError(_ message: String) {
        ErrorOutput.write("provisioner webhooks: \(message)")
    }
}

/// The receiver as a service: listens until graceful shutdown; in-flight webhooks then finish.
struct WebhookService: Service {
    var configuration: WebhookConfiguration
    var store: PostgresWebhookStore
    var logger: Logger

    func run() async throws {
        try await withWebhookServer(configuration: configuration, store: store, logger: logger) { server in
            FileHandle.standardOutput.write(Data("listening on \(server.baseURL)\n".utf8))
            logger.info(
                "receiving webhooks",
                metadata: [
                    "http.url": "\(server.baseURL)", "webhook.decision_path": "\(configuration.decisionPath)",
                    "webhook.event_path": "\(configuration.eventPath)",
                ])
            try? await gracefulShutdown()
        }
    }
}
