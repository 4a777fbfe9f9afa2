import ArgumentParser

/// `provisioner webhooks`: the operator server with the dashboard off — receives Veriff's decision and event
/// webhooks and records them on the queue. Kept for existing deployments; `serve` is the same server.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Receive Veriff's signed decision and event webhooks and record each session's status.",
        discussion: """
            The same server as `provisioner serve`, with /metrics and the dashboard off. Run it behind the \
            company's reverse proxy (TLS there). Prints "listening on http://HOST:PORT" when ready; stops \
            gracefully on SIGINT or SIGTERM. The shared secret comes from VERIFF_SHARED_SECRET or \
            --shared-secret-file, the API key (compared with X-AUTH-CLIENT) from VERIFF_API_KEY or --api-key-file. \
            The database from DATABASE_URL, else libpq's PG* variables. See docs/webhooks.md.
            """
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.webhooks")
        try await ServerCommand.run(options: server, dashboardToken: nil, database: database, logger: logger)
    }
}
