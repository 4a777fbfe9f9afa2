import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database schema (safe to run twice, or twice at once)."
    )

    func run() async throws {
        throw CleanExit.message("not built yet")
    }
}
