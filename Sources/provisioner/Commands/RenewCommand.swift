import ArgumentParser
import Foundation
import Logging
import SessionQueue

/// `provisioner renew`: puts rows whose session expired without a decision back in the queue.
struct RenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Queue a new session for rows whose Veriff session expired before the end-user finished.",
        discussion: """
            A row is renewed when it is provisioned, its session is past its 7-day expiry and its status is still \
            created or started (or Veriff reported it expired or abandoned). It goes back to pending for the next \
            run; its old session id is kept in previous_session_ids. `run --renew-expired` does the same first.
            """
    )

    @Flag(name: .customLong("dry-run"), help: "Only count the rows that would be renewed.")
    var dryRun = false

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.renew")
        let count = try await database.withConnection(logger: logger) { connection in
            try await SessionRenewal.renewExpired(connection, dryRun: dryRun)
        }
        if !dryRun { logger.info("renewed expired sessions", metadata: ["rows": .stringConvertible(count)]) }
        let noun = count == 1 ? "row" : "rows"
        print(
            json
                ? try JSONOutput.text(CommandReports.Renew(dryRun: dryRun, rows: count))
                : dryRun ? "would renew \(count) \(noun)" : "renewed \(count) \(noun)")
    }
}
