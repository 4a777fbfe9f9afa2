import ArgumentParser
import Foundation
import Logging
import OperatorServer

/// `provisioner serve`: one long-running server for Veriff's webhooks, the health check, `/metrics` and the
/// operator's dashboard.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Veriff's webhooks, the health check, Prometheus metrics and the operator dashboard.",
        discussion: """
            Webhooks and health as `provisioner webhooks`. /metrics (Prometheus text) and the dashboard at / need \
            a token: PROVISIONER_DASHBOARD_TOKEN or --dashboard-token-file (at least 16 characters), sent as \
            "Authorization: Bearer <token>"; without one they answer 404 and say the dashboard is off. Prints \
            "listening on http://HOST:PORT" when ready; stops gracefully on SIGINT or SIGTERM. See docs/webhooks.md.
            """
    )

    @OptionGroup var server: ServerOptions

    @Option(
        name: .customLong("dashboard-token-file"),
        help: ArgumentHelp(
            "Read the dashboard token from this file (else PROVISIONER_DASHBOARD_TOKEN). Never pass the token itself.",
            valueName: "path"))
    var dashboardTokenFile: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.serve")
        let token: DashboardToken?
        do {
            token = try DashboardToken.fromEnvironment(ProcessInfo.processInfo.environment, file: dashboardTokenFile)
        } catch let error as DashboardTokenError {
            throw ValidationError(error.message)
        }
        if token == nil {
            logger.notice("no dashboard token: /metrics and the dashboard are off (set PROVISIONER_DASHBOARD_TOKEN)")
        }
        try await ServerCommand.run(options: server, dashboardToken: token, database: database, logger: logger)
    }
}
