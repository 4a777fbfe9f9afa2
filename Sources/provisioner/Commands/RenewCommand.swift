import ArgumentParser
import Foundation
import Logging
import Postgres
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

    @Option(name: .customLong("database-url"), help: "A libpq connection string (default: libpq's PG* variables).")
    var databaseURL = ""

    func run() async throws {
        let logger = Logger(label: "provisioner.renew")
        let count: Int
        do {
            let connection = try await PostgresConnection.connect(databaseURL, logger: logger)
            do {
                count = try await SessionRenewal.renewExpired(connection, dryRun: dryRun)
                await connection.close()
            } catch {
                await connection.close()
                throw error
            }
        } catch let error as PostgresError {
            FileHandle.standardError.write(Data("provisioner renew: \(error)\n".utf8))
            throw error.isConnectionProblem ? ExitStatus.databaseUnavailable : ExitCode.failure
        }
        let noun = count == 1 ? "row" : "rows"
        print(dryRun ? "would renew \(count) \(noun)" : "renewed \(count) \(noun)")
    }
}
