import ArgumentParser
import SessionQueue

/// `provisioner cancel`: marks rows that must never be sent (status cancelled); requeue takes them back.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Mark rows that must never be sent (status cancelled); requeue takes them back.",
        discussion: RowAction.discussion
    )

    @OptionGroup var rows: RowActionOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await RowAction.run(.cancel, options: rows, database: database, logging: logging)
    }
}
