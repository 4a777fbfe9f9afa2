/// What recording one webhook did. Every case is acknowledged to Veriff (200): retrying would change nothing.
public enum LifecycleOutcome: String, Sendable, Hashable, CustomStringConvertible {
    /// The row's status (and for decisions the codes and time) was updated.
    case applied
    /// The same body was received before: nothing was done again.
    case duplicate
    /// The row already had this status.
    case unchanged
    /// The webhook is older than the row's status (out-of-order delivery).
    case older
    /// The row's status is final.
    case final
    /// No row has this session id or vendorData.
    case unknownSession = "unknown_session"
    /// The session is one the row had before it was renewed.
    case supersededSession = "superseded_session"
    /// The vendorData matches a row that has another session (a duplicate session, e.g. after an in-doubt send).
    case sessionMismatch = "session_mismatch"
    /// Several rows without a session share this vendorData: none is changed.
    case ambiguousVendorData = "ambiguous_vendor_data"
    /// The row was cancelled by a person (`provisioner cancel`): the webhook is recorded, the row stays cancelled.
    case cancelledRow = "cancelled_row"
    /// The payload's status and code are not ones the provisioner knows.
    case unknownStatus = "unknown_status"
    /// The body is not a webhook the provisioner can read (not JSON, no session id or vendorData).
    case unparseable

    public var description: String { rawValue }

    /// Whether the row was changed.
    public var isApplied: Bool { self == .applied }
}

/// The result of ``SessionLifecycle/record(_:on:)``: what happened and to which row.
public struct LifecycleResult: Sendable, Hashable {
    public var outcome: LifecycleOutcome
    /// The queue row the webhook was matched to, if any.
    public var queueID: Int64?
    /// The row's status after the webhook (unchanged when not applied).
    public var status: String?

    public init(outcome: LifecycleOutcome, queueID: Int64? = nil, status: String? = nil) {
        self.outcome = outcome
        self.queueID = queueID
        self.status = status
    }
}
