import ArgumentParser

/// The `provisioner` command: creates Veriff verification sessions in bulk from a PostgreSQL queue.
@main
struct Provisioner: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "provisioner",
        abstract: "Create Veriff verification sessions in bulk, from a PostgreSQL queue, within the integration's cap.",
        version: version,
        subcommands: [
            MigrateCommand.self,
            EnqueueCommand.self,
            RunCommand.self,
            StatusCommand.self,
            ExportCommand.self,
            QRCommand.self,
            ServeCommand.self,
            WebhooksCommand.self,
            RenewCommand.self,
            CheckCommand.self,
            MockVeriffCommand.self,
        ]
    )
}
