import ArgumentParser

/// The `provisioner` command: creates Veriff verification sessions in bulk from a PostgreSQL queue.
@main
struct Provisioner: AsyncParsableCommand {
    /// The release version (``BuildInfo/version``), e.g. for the User-Agent.
    static let version = BuildInfo.version

    static let configuration = CommandConfiguration(
        commandName: "provisioner",
        abstract: "Create Veriff verification sessions in bulk, from a PostgreSQL queue, within the integration's cap.",
        version: BuildInfo.versionLine,
        subcommands: [
            MigrateCommand.self,
            EnqueueCommand.self,
            RunCommand.self,
            StatusCommand.self,
            RowsCommand.self,
            RequeueCommand.self,
            HoldCommand.self,
            CancelCommand.self,
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
