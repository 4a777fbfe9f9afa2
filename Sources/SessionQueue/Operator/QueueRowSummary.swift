import Foundation

/// One queue row as an operator sees it: its state, its last error and when it will be tried again.
///
/// Deliberately without the end-user's personal data (names, document, email, ...) and without the session's url
/// or token, which are credentials: it is safe to print, log and paste into a ticket.
public struct QueueRowSummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var status: QueueRowStatus
    /// A request for it may have created a session whose answer was lost.
    public var inDoubt: Bool
    /// Attempts so far (reset by `requeue` and `renew`).
    public var attempts: Int
    /// Why the last attempt did not succeed, in words (Veriff's message, a validation rule, a rescue).
    public var lastError: String?
    /// The same as a code: Veriff's code, `invalid`, `in_doubt`, `rate_limited`, a transient kind.
    public var lastErrorCode: String?
    /// When a pending row is due.
    public var nextAttemptAt: Date
    /// The caller's reference for the end-user (sent to Veriff; the row id is sent when it is empty).
    public var vendorData: String?
    /// When the row last changed.
    public var updatedAt: Date
    /// For a claimed row: the runner holding it (`host:pid:nonce`) and until when.
    public var claimedBy: String?
    public var leaseExpiresAt: Date?

    public init(
        id: Int64, status: QueueRowStatus, inDoubt: Bool, attempts: Int, lastError: String?, lastErrorCode: String?,
        nextAttemptAt: Date, vendorData: String?, updatedAt: Date, claimedBy: String?, leaseExpiresAt: Date?
    ) {
        self.id = id
        self.status = status
        self.inDoubt = inDoubt
        self.attempts = attempts
        self.lastError = lastError
        self.lastErrorCode = lastErrorCode
        self.nextAttemptAt = nextAttemptAt
        self.vendorData = vendorData
        self.updatedAt = updatedAt
        self.claimedBy = claimedBy
        self.leaseExpiresAt = leaseExpiresAt
    }
}

/// A page of rows for `provisioner rows`: the newest matches first, and how many matched in all.
public struct QueueRowListing: Sendable, Hashable, Codable {
    /// The states asked for.
    public var states: [QueueRowState]
    /// Only rows changed at or after this instant, if given.
    public var since: Date?
    /// The most rows listed.
    public var limit: Int
    /// How many rows match (more than ``rows`` holds when the limit cut the list).
    public var matching: Int
    /// The rows, most recently changed first.
    public var rows: [QueueRowSummary]

    public init(states: [QueueRowState], since: Date?, limit: Int, matching: Int, rows: [QueueRowSummary]) {
        self.states = states
        self.since = since
        self.limit = limit
        self.matching = matching
        self.rows = rows
    }
}
