import ArgumentParser
import RateLimiting
import SessionQueue

/// `provisioner status`: the queue at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue by status, rows in doubt, the next retry, and the last runs.",
        discussion: """
            "in doubt" counts rows whose request may have created a session whose answer was lost (a timeout or \
            reset after sending, or a runner killed mid-request). They are re-sent by default, so a second session \
            may exist: look for the row's vendorData (or its id, sent as vendorData when the row had none).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Flag(help: "Print JSON for machines.")
    var json = false

    @Option(help: ArgumentHelp("How many recent runs to show, 0 to 1,000.", valueName: "n"))
    var runs: Int = 5

    func validate() throws {
        guard (0...1000).contains(runs) else { throw ValidationError("--runs must be between 0 and 1000, got \(runs)") }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.status")
        let (status, lifecycle, learned) = try await database.withConnection(logger: logger) { connection in
            (
                try await QueueStatus.read(connection, runs: runs), try await LifecycleCounts.fetch(connection),
                try await LearnedCap.read(connection)
            )
        }
        let report = StatusReport(queue: status, decisions: .init(lifecycle), learnedCaps: learned)
        print(json ? try JSONOutput.text(report) : report.text)
    }
}
