import SessionQueue

/// What a person's last action did, shown once at the top of the next page (kept in the session, not the URL, so a
/// link cannot fake one).
struct DashboardNotice: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// An action ran.
        case result(QueueOperationResult)
        /// The action was refused before it ran (no rows chosen, too many, ...).
        case problem(String)
    }

    var kind: Kind
}
