import ArgumentParser
import Foundation
import SessionQueue

/// `provisioner migrate`: applies the embedded migrations (sql/NNN_*.sql) to the database.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database schema (safe to run twice, or twice at once).",
        discussion: """
            Connects with DATABASE_URL (else libpq's PG* defaults) and applies every migration not yet applied, each \
            in its own transaction, under an advisory lock. Run it as the role that owns the schema, not as the \
            runner's least-privilege role (see sql/roles.sql). Prints each version applied, or "schema is up to \
            date (version N)". Exit status 75 when PostgreSQL cannot be reached.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.migrate")
        let migrator = Migrator(logger: logger)
        let applied = try await database.withConnection(logger: logger) { connection in
            try await migrator.migrate(connection)
        }
        let names = Dictionary(uniqueKeysWithValues: migrator.migrations.map { ($0.version, $0.name) })
        if json {
            let report = CommandReports.Migrate(
                applied: applied.map { .init(version: $0, name: names[$0] ?? "?") }, version: migrator.latestVersion)
            print(try JSONOutput.text(report))
            return
        }
        if applied.isEmpty {
            print("schema is up to date (version \(migrator.latestVersion))")
            return
        }
        for version in applied {
            print("applied migration \(version) (\(names[version] ?? "?"))")
        }
        print("schema is now at version \(migrator.latestVersion)")
    }
}
