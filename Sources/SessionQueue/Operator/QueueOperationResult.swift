/// What an operator's action did (or, in a dry run, would do): the rows it changed and the rows it left alone, with
/// the reason. Its JSON is the `--json` output of `requeue`, `hold` and `cancel` (README.md, "JSON output").
public struct QueueOperationResult: Sendable, Hashable, Codable {
    /// A row the action moved.
    public struct Change: Sendable, Hashable, Codable {
        public var id: Int64
        /// Its status before.
        public var from: QueueRowStatus
        /// Its status after.
        public var to: QueueRowStatus
        /// Its in-doubt flag before and after.
        public var wasInDoubt: Bool
        public var inDoubt: Bool

        public init(id: Int64, from: QueueRowStatus, to: QueueRowStatus, wasInDoubt: Bool, inDoubt: Bool) {
            self.id = id
            self.from = from
            self.to = to
            self.wasInDoubt = wasInDoubt
            self.inDoubt = inDoubt
        }
    }

    /// A row the action left alone.
    public struct Skip: Sendable, Hashable, Codable {
        public var id: Int64
        /// Its status, when the row exists.
        public var status: QueueRowStatus?
        public var reason: QueueRowSkipReason

        public init(id: Int64, status: QueueRowStatus?, reason: QueueRowSkipReason) {
            self.id = id
            self.status = status
            self.reason = reason
        }
    }

    public var action: QueueRowAction
    /// Whether nothing was changed (the rows are what would change).
    public var dryRun: Bool
    /// Who asked (``QueueOperation/actor``).
    public var actor: String
    /// The database role that made the change (`current_user`).
    public var databaseUser: String
    /// The rows moved, in id order.
    public var changed: [Change]
    /// The rows left alone, in id order.
    public var skipped: [Skip]

    public init(
        action: QueueRowAction, dryRun: Bool, actor: String, databaseUser: String, changed: [Change], skipped: [Skip]
    ) {
        self.action = action
        self.dryRun = dryRun
        self.actor = actor
        self.databaseUser = databaseUser
        self.changed = changed
        self.skipped = skipped
    }
}
