import ArgumentParser
import Foundation
import Logging
import SessionQueue
import Support

/// `provisioner rows`: the rows in some states, with their last error, without writing SQL.
struct RowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rows",
        abstract: "List queue rows by state (default: failed, held and in doubt) with their last error.",
        discussion: """
            Shows id, status, in doubt, attempts, next attempt, last change, vendorData and the last error (with its \
            code; for a claimed row, the runner holding it), most recently changed first. Never a session url or \
            token, nor the end-user's personal data. States: pending, claimed, provisioned, failed, invalid, held, \
            cancelled, and in-doubt (rows whose request may have created a session whose answer was lost, not yet \
            settled by a person: see README, "In doubt"). Fix rows with requeue, hold and cancel.
            """
    )

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "A state to list (repeatable): pending, claimed, provisioned, failed, invalid, held, cancelled, in-doubt "
                + "(default: failed, held, in-doubt).", valueName: "state"))
    var states: [QueueRowState] = []

    @Flag(name: .customLong("in-doubt"), help: "List rows in doubt (the same as --status in-doubt).")
    var inDoubt = false

    @Option(
        help: ArgumentHelp(
            "Only rows changed since: \(SinceText.syntax).", valueName: "when"))
    var since: String?

    @Option(help: ArgumentHelp("The most rows to list, 1 to 10,000.", valueName: "n"))
    var limit: Int = 100

    @Flag(help: "Print the rows as JSON on standard output.")
    var json = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    /// The states to list: the flags', else what needs a person.
    var selectedStates: [QueueRowState] {
        let chosen = states + (inDoubt && !states.contains(.inDoubt) ? [.inDoubt] : [])
        return chosen.isEmpty ? QueueRowState.needingAttention : chosen
    }

    func validate() throws {
        guard (1...QueueOperator.maximumListed).contains(limit) else {
            throw ValidationError("--limit must be between 1 and \(QueueOperator.maximumListed), got \(limit)")
        }
        if let since, SinceText(since) == nil {
            throw ValidationError("--since must be \(SinceText.syntax), not \"\(since)\"")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.rows", defaultLevel: .warning)
        let start = since.flatMap(SinceText.init)?.start(now: Date())
        let states = selectedStates
        let listing = try await database.withPool(logger: logger) { pool in
            try await QueueOperator(pool: pool).rows(in: states, since: start, limit: limit)
        }
        print(json ? try JSONOutput.text(listing) : listing.text)
    }
}
