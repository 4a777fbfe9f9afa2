/// What a person can do to queue rows (`provisioner requeue`, `hold`, `cancel`, and later the dashboard).
///
/// Which rows each action may move, and how, is ``QueueRowTransition``'s one rule.
public enum QueueRowAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Back to `pending`, due now, attempts reset to 0, the in-doubt flag cleared (the person decided).
    case requeue
    /// To `held`: kept from being sent until a person decides.
    case hold
    /// To `cancelled`: never to be sent.
    case cancel

    /// The status a row gets.
    public var target: QueueRowStatus {
        switch self {
        case .requeue: .pending
        case .hold: .held
        case .cancel: .cancelled
        }
    }

    /// The `session_attempts.outcome` that records the action (`requeued`, `held`, `cancelled`).
    public var pastTense: String {
        switch self {
        case .requeue: "requeued"
        case .hold: "held"
        case .cancel: "cancelled"
        }
    }
}
