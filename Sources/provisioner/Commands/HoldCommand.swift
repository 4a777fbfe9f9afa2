import ArgumentParser
import SessionQueue

/// `provisioner hold`: keeps rows from being sent (status held) until a person requeues them.
struct HoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Keep rows from being sent (status held) until a person requeues them.",
        discussion: RowAction.discussion
    )

    @OptionGroup var rows: RowActionOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try await RowAction.run(.hold, options: rows, database: database, logging: logging)
    }
}
