import Foundation

/// Whether a webhook's status may replace a row's current one.
public enum StatusTransition: Sendable, Hashable {
    /// Write the new status.
    case apply
    /// The row already has this status (a retry, or the same news twice).
    case unchanged
    /// The webhook is older than what the row has (out-of-order delivery); the row keeps its status.
    case older
    /// The row's status is final; nothing replaces it.
    case final
}

extension SessionStatus {
    /// Decides whether `incoming` may replace this (current) status.
    ///
    /// The rule: never leave a final status; never move to a lower rank, except `resubmission_requested` →
    /// `started`/`submitted` (the end-user retries in the same session); within one rank, or when times say the
    /// webhook is older than the row's status, keep the row. A final status always wins over a non-final one:
    /// a decision is the end of the session whatever its time. Times are the payload's own (decisionTime,
    /// acceptanceTime) when it has them; an incoming status without a time is taken as the newest.
    ///
    /// - Parameters:
    ///   - incoming: The status the webhook reports.
    ///   - incomingAt: The webhook's own time, if its payload has one.
    ///   - currentAt: When the row got its current status (`session_status_at`), if known.
    /// - Returns: What to do with the row.
    public func transition(to incoming: SessionStatus, at incomingAt: Date?, currentAt: Date?) -> StatusTransition {
        if incoming == self { return .unchanged }
        if isFinal { return .final }
        if incoming.isFinal { return .apply }
        let isOlder: Bool =
            if let incomingAt, let currentAt { incomingAt < currentAt } else { false }
        if isOlder { return .older }
        if incoming.rank > rank { return .apply }
        if incoming.rank == rank {
            // resubmission_requested vs review: only a strictly newer time decides.
            if let incomingAt, let currentAt, incomingAt > currentAt { return .apply }
            return .older
        }
        if self == .resubmissionRequested && (incoming == .started || incoming == .submitted) { return .apply }
        return .older
    }
}

extension Optional where Wrapped == SessionStatus {
    /// ``SessionStatus/transition(to:at:currentAt:)`` for a row that may have no status yet (any status applies).
    public func transition(to incoming: SessionStatus, at incomingAt: Date?, currentAt: Date?) -> StatusTransition {
        guard let current = self else { return .apply }
        return current.transition(to: incoming, at: incomingAt, currentAt: currentAt)
    }
}
