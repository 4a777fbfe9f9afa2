import ArgumentParser
import SessionQueue

/// `provisioner requeue`: puts failed, held, cancelled or in-doubt rows back to pending, due now, for the next run.
struct RequeueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Put failed, held, cancelled or in-doubt rows back to pending, due now, for the next run.",
        discussion: RowAction.discussion
    )

    @OptionGroup var rows: RowActionOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await RowAction.run(.requeue, options: rows, database: database, logging: logging)
    }
}
