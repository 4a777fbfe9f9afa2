import ArgumentParser
import Foundation
import OperatorServer
import Support
import VeriffAPI
import Webhooks

/// The flags `serve` and `webhooks` share: where to listen, the webhook paths and credentials, and the limits
/// that keep hostile clients from holding the server (see docs/webhooks.md, "Limits and timeouts").
struct ServerOptions: ParsableArguments {
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

    @Option(
        name: .customLong("idle-timeout"),
        help: ArgumentHelp("Close a connection that sends no request for this long.", valueName: "seconds"))
    var idleTimeout: Double = 75

    @Option(
        name: .customLong("header-timeout"),
        help: ArgumentHelp(
            "A request's headers must arrive within this many seconds of its first byte.", valueName: "seconds"))
    var headerTimeout: Double = 10

    @Option(
        name: .customLong("body-timeout"),
        help: ArgumentHelp(
            "A request's body must arrive within this many seconds of its headers.", valueName: "seconds"))
    var bodyTimeout: Double = 30

    @Option(
        name: .customLong("max-clients"),
        help: "The most client connections open at once; more wait in the listen backlog.")
    var maximumClients = 512

    @Option(
        name: .customLong("shutdown-grace"),
        help: ArgumentHelp("On SIGTERM/SIGINT, how long requests in flight may take to finish.", valueName: "seconds"))
    var shutdownGrace: Double = 10

    func validate() throws {
        _ = try listenAddress()
        guard (1024...(64 << 20)).contains(maximumBodySize) else {
            throw ValidationError("--max-body-bytes must be 1024...67108864, got \(maximumBodySize)")
        }
        guard (1...64).contains(connections) else {
            throw ValidationError("--connections must be 1...64, got \(connections)")
        }
        guard (1...100_000).contains(maximumClients) else {
            throw ValidationError("--max-clients must be 1...100000, got \(maximumClients)")
        }
        for (flag, value) in [
            ("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout),
            ("--shutdown-grace", shutdownGrace),
        ] {
            guard value.isFinite, value >= 0.1, value <= 86_400 else {
                throw ValidationError("\(flag) must be a number of seconds between 0.1 and 86400, got \(value)")
            }
        }
    }

    private func listenAddress() throws -> (host: String, port: Int) {
        do {
            return try WebhookConfiguration.parseListenAddress(listen)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }

    /// The server's configuration from these flags, `environment` (secrets) and the dashboard token.
    ///
    /// - Throws: `ValidationError` naming the flag, variable or file that is missing or wrong.
    func configuration(_ environment: [String: String], dashboardToken: DashboardToken?) throws
        -> OperatorServerConfiguration
    {
        let (host, port) = try listenAddress()
        do {
            let secret = try WebhookSecret.fromEnvironment(environment, file: sharedSecretFile)
            let apiKey = try VeriffConfiguration.fromEnvironment(environment, apiKeyFile: apiKeyFile).apiKey
            let webhooks = WebhookConfiguration(
                host: host, port: port, decisionPath: decisionPath, eventPath: eventPath, healthPath: healthPath,
                maximumBodySize: maximumBodySize, shutdownGracePeriod: .seconds(shutdownGrace), sharedSecret: secret,
                apiKey: apiKey)
            let limits = ConnectionLimits(
                idleTimeout: .seconds(idleTimeout), requestHeadTimeout: .seconds(headerTimeout),
                bodyReadTimeout: .seconds(bodyTimeout), maximumConnections: maximumClients,
                refusalDrainBytes: maximumBodySize)
            let configuration = OperatorServerConfiguration(
                webhooks: webhooks, dashboardToken: dashboardToken, limits: limits)
            try configuration.validatePaths()
            return configuration
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }
}
