/// Why an operator's action left a row alone.
public enum QueueRowSkipReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A live runner holds the row (its lease has not expired): it may be sending it right now.
    case claimedByLiveRunner = "claimed_by_live_runner"
    /// The row has its session; `renew` puts an expired one back in the queue.
    case provisioned
    /// The row is already where the action would put it.
    case unchanged
    /// No row has this id.
    case notFound = "not_found"
    /// A runner was changing the row at that very moment (it was locked, or no longer in the selected state).
    case busy

    /// For a person: why the row was left alone.
    public var description: String {
        switch self {
        case .claimedByLiveRunner: "claimed by a live runner (it may be sending it now); try again after the run"
        case .provisioned: "provisioned: it has its session (renew puts expired sessions back in the queue)"
        case .unchanged: "already there"
        case .notFound: "no such row"
        case .busy: "a runner was changing it at that moment; try again"
        }
    }
}
