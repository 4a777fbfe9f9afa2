import ArgumentParser
import SessionQueue

/// The options `requeue`, `hold` and `cancel` share: which rows (`--id N ...` or `--status S ...`), a dry run, a
/// reason for the audit log, JSON output.
struct RowActionOptions: ParsableArguments {
    /// The most ids one command takes.
    static let maximumIDs = 100_000

    @Option(
        name: .customLong("id"), parsing: .upToNextOption,
        help: ArgumentHelp("The rows, by id: --id 12 15 40 (or --id 12 --id 15).", valueName: "id"))
    var ids: [Int64] = []

    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "Every row in this state: pending, claimed, failed, invalid, held, cancelled, or in-doubt (repeatable).",
            valueName: "state"))
    var states: [QueueRowState] = []

    @Flag(name: .customLong("in-doubt"), help: "Every row in doubt (the same as --status in-doubt).")
    var inDoubt = false

    @Flag(name: .customLong("dry-run"), help: "Show what would change; change nothing.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Why, in a few words, for the attempts log (at most 500 characters; no personal data).",
            valueName: "text"))
    var reason: String?

    @Flag(help: "Print what changed as JSON on standard output.")
    var json = false

    /// The states selected by `--status` and `--in-doubt`.
    var selectedStates: [QueueRowState] { states + (inDoubt && !states.contains(.inDoubt) ? [.inDoubt] : []) }

    /// The rows the command is about.
    var selection: QueueRowSelection { ids.isEmpty ? .states(selectedStates) : .ids(ids) }

    func validate() throws {
        let byState = !selectedStates.isEmpty
        guard ids.isEmpty == byState else {
            throw ValidationError(
                ids.isEmpty
                    ? "say which rows: --id N ... or --status S (see --help)"
                    : "give either --id or --status/--in-doubt, not both")
        }
        guard ids.count <= Self.maximumIDs else {
            throw ValidationError("at most \(Self.maximumIDs) ids at once, got \(ids.count); use --status")
        }
        if let bad = ids.first(where: { $0 < 1 }) {
            throw ValidationError("--id must be a positive row id, got \(bad)")
        }
        if states.contains(.status(.provisioned)) {
            throw ValidationError(
                "--status provisioned: provisioned rows have their session and are never requeued, held or "
                    + "cancelled (renew puts expired sessions back in the queue)")
        }
        if let reason, reason.count > QueueOperation.maximumReasonLength {
            throw ValidationError(
                "--reason is at most \(QueueOperation.maximumReasonLength) characters, got \(reason.count)")
        }
    }
}
