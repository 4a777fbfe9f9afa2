/// The one rule for what ``QueueRowAction``s may do to a row: pure, so it is tested without a database and the
/// command line and the dashboard cannot disagree.
///
/// - A row claimed by a live runner (status `claimed`, lease not yet expired) is never touched.
/// - A provisioned row is never touched: it has its session (`renew` puts expired ones back in the queue).
/// - Any other row may go to the action's status, unless it is there already (for `requeue`: pending, due and not
///   in doubt).
/// - `requeue` clears the in-doubt flag (the person decided, e.g. after looking the session up by vendorData),
///   except on a row whose runner stopped while holding it: that one is marked in doubt, as a rescue would.
///   `hold` and `cancel` keep the flag, and set it on such a row.
public enum QueueRowTransition {
    /// What the rule needs to know about a row.
    public struct Row: Sendable, Hashable {
        public var status: QueueRowStatus
        public var inDoubt: Bool
        /// For a `claimed` row: whether its lease has not yet expired (its runner is alive, or was moments ago).
        public var leaseIsLive: Bool
        /// For a `pending` row: whether it is due now (else a retry is scheduled for later).
        public var isDue: Bool

        public init(status: QueueRowStatus, inDoubt: Bool = false, leaseIsLive: Bool = false, isDue: Bool = true) {
            self.status = status
            self.inDoubt = inDoubt
            self.leaseIsLive = leaseIsLive
            self.isDue = isDue
        }
    }

    /// What to do with one row.
    public enum Decision: Sendable, Hashable {
        /// Set the status and the in-doubt flag.
        case change(to: QueueRowStatus, inDoubt: Bool)
        /// Leave the row alone, for this reason.
        case skip(QueueRowSkipReason)
    }

    /// Decides what `action` does to `row`.
    public static func decide(_ action: QueueRowAction, for row: Row) -> Decision {
        if row.status == .claimed && row.leaseIsLive { return .skip(.claimedByLiveRunner) }
        if row.status == .provisioned { return .skip(.provisioned) }
        // The runner that claimed it stopped without an answer: the request may have reached Veriff.
        let runnerStopped = row.status == .claimed
        switch action {
        case .requeue:
            if row.status == .pending && row.isDue && !row.inDoubt { return .skip(.unchanged) }
            return .change(to: .pending, inDoubt: runnerStopped)
        case .hold, .cancel:
            if row.status == action.target { return .skip(.unchanged) }
            return .change(to: action.target, inDoubt: row.inDoubt || runnerStopped)
        }
    }
}
