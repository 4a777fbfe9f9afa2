/// One operator's action, as the command line or a dashboard asks for it.
public struct QueueOperation: Sendable, Hashable {
    /// The longest ``actor`` kept (longer ones are cut).
    public static let maximumActorLength = 200
    /// The longest ``reason`` kept (longer ones are cut).
    public static let maximumReasonLength = 500

    /// What to do.
    public var action: QueueRowAction
    /// To which rows.
    public var selection: QueueRowSelection
    /// Who asks, as the caller knows them: the OS user and host for the command line, the signed-in user for a
    /// dashboard. Recorded in `session_attempts.actor` beside the database role (`current_user`).
    public var actor: String
    /// Why, in the person's words, if they gave a reason; recorded in the attempts log. Defaults to none.
    public var reason: String?
    /// Decide and report, change nothing. Defaults to false.
    public var dryRun: Bool

    public init(
        action: QueueRowAction, selection: QueueRowSelection, actor: String, reason: String? = nil,
        dryRun: Bool = false
    ) {
        self.action = action
        self.selection = selection
        self.actor = String(actor.prefix(Self.maximumActorLength))
        self.reason = reason.map { String($0.prefix(Self.maximumReasonLength)) }
        self.dryRun = dryRun
    }
}
