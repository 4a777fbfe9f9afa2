import ArgumentParser
import Foundation
import Logging
import SessionQueue

/// What `requeue`, `hold` and `cancel` do once their options are read: one ``QueueOperator`` call, then the result
/// on standard output (text or JSON).
enum RowAction {
    /// The discussion each of the three commands shows in `--help`.
    static let discussion = """
        Select rows with --id N ... or --status S (repeatable; in-doubt selects rows in doubt). A row claimed by a \
        live runner (its lease has not expired) is never touched, nor is a provisioned row: they are listed as \
        skipped with the reason. Every change is one line in session_attempts (outcome requeued, held or \
        cancelled) with the database role (current_user), the OS user and host, the time, the status before and \
        --reason. Exit status: 0 when every selected row is (now) in the asked state; 1 when some were left alone \
        (claimed by a live runner, provisioned, no such row, or changed by a runner at that moment); 64 bad usage \
        or configuration; 75 database unavailable.
        """

    /// Performs `action` on the selected rows and prints the result.
    static func run(
        _ action: QueueRowAction, options: RowActionOptions, database: DatabaseOptions, logging: LoggingOptions
    ) async throws {
        let logger = logging.makeLogger(label: "provisioner.\(action.rawValue)")
        let operation = QueueOperation(
            action: action, selection: options.selection, actor: actor(), reason: options.reason,
            dryRun: options.dryRun)
        let result = try await database.withPool(logger: logger) { pool in
            try await QueueOperator(pool: pool).perform(operation)
        }
        if !result.dryRun && !result.changed.isEmpty {
            logger.info(
                "\(action.pastTense) rows",
                metadata: [
                    "rows.changed": .stringConvertible(result.changed.count),
                    "rows.skipped": .stringConvertible(result.skipped.count), "actor": "\(result.actor)",
                    "database.user": "\(result.databaseUser)",
                ])
        }
        print(options.json ? try JSONOutput.text(result) : result.text)
        if result.skipped.contains(where: { $0.reason != .unchanged }) { throw ExitStatus.rowsFailed }
    }

    /// Who runs the command, for the attempts log: `user@host` (the OS user; the database role is recorded too).
    static func actor(processInfo: ProcessInfo = .processInfo) -> String {
        let user = processInfo.userName.isEmpty ? (processInfo.environment["USER"] ?? "unknown") : processInfo.userName
        return "\(user)@\(processInfo.hostName)"
    }
}
