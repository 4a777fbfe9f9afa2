import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Logging
import Postgres
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
            The database from --database-url, else libpq's PG* variables. See docs/webhooks.md.
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

    @Option(name: .customLong("database-url"), help: "A libpq connection string (default: libpq's PG* variables).")
    var databaseURL = ""

    @Option(name: .customLong("max-body-bytes"), help: "Larger webhook bodies are refused with 413.")
    var maximumBodySize = 1 << 20

    @Option(help: "The most database connections used at once.")
    var connections = 4

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        _ = try webhookAddress()
        guard maximumBodySize >= 1024 else {
            throw ValidationError("--max-body-bytes must be at least 1024, got \(maximumBodySize)")
        }
        guard (1...64).contains(connections) else {
            throw ValidationError("--connections must be 1...64, got \(connections)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    private func webhookAddress() throws -> (host: String, port: Int) {
        do {
            return try WebhookConfiguration.parseListenAddress(listen)
        } catch let error as WebhookConfigurationError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        var logger = Logger(label: "provisioner.webhooks")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration = try webhookConfiguration(ProcessInfo.processInfo.environment)
        try await checkDatabase(logger: logger)
        let signals = WebhookTerminationSignals()
        try await withPostgresWebhookStore(conninfo: databaseURL, connections: connections, logger: logger) { store in
            try await withWebhookServer(configuration: configuration, store: store, logger: logger) { server in
                FileHandle.standardOutput.write(Data("listening on \(server.baseURL)\n".utf8))
                logger.info(
                    "receiving webhooks",
                    metadata: [
                        "http.url": "\(server.baseURL)", "webhook.decision_path": "\(decisionPath)",
                        "webhook.event_path": "\(eventPath)",
                    ])
                let signal = await signals.next()
                logger.info("stopping: in-flight webhooks finish first", metadata: ["signal": "\(signal)"])
            }
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
        } catch let error as WebhookConfigurationError {
            throw ValidationError(error.message)
        } catch let error as VeriffConfigurationError {
            throw ValidationError(error.message)
        }
    }

    /// Refuses to start against a database that cannot be reached or was never migrated: the receiver would only
    /// answer 503 and Veriff would keep retrying.
    private func checkDatabase(logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(databaseURL, logger: logger)
            let rows = try await connection.query("SELECT to_regclass('webhook_events') IS NOT NULL AS ready")
            await connection.close()
            guard try rows.first?.decode("ready", as: Bool.self) == true else {
                printError("the database has no webhook_events table: run `provisioner migrate` first")
                throw ExitStatus.usage
            }
        } catch let error as PostgresError {
            printError("cannot use the database: \(error)")
            throw ExitStatus.databaseUnavailable
        }
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data("provisioner webhooks: \(message)\n".utf8))
    }
}

/// SIGINT and SIGTERM as an async sequence: the default handlers are replaced while this value lives.
private final class WebhookTerminationSignals {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        self.sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// Waits for the first signal and returns its number.
    func next() async -> Int32 {
        for await number in stream { return number }
        return SIGTERM
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
