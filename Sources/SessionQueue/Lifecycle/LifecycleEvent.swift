import Foundation

/// One webhook from Veriff, reduced to what the queue and the audit table keep: ids, codes, status, times.
///
/// Never holds the person or document data that decision webhooks carry.
public struct LifecycleEvent: Sendable, Hashable {
    /// Which webhook it came in.
    public enum Kind: String, Sendable, Hashable {
        /// The decision webhook (`verification.code` 9xxx).
        case decision
        /// The event webhook (`code` 7001 started, 7002 submitted).
        case event
    }

    public var kind: Kind
    /// SHA-256 of the raw body, 64 lowercase hex digits: the idempotency key.
    public var bodySHA256: String
    /// The Veriff session id (`verification.id` or the event's `id`).
    public var sessionID: String?
    /// The attempt id, when the payload has one.
    public var attemptID: String?
    /// The company's own reference, echoed back by Veriff: finds the row when the session id does not.
    public var vendorData: String?
    /// The status or decision code (7001, 7002, 9001, ...).
    public var code: Int?
    /// The status or action string as sent (at most 100 characters).
    public var statusText: String?
    /// The status the payload reports (from ``statusText`` or ``code``); `nil` when unknown.
    public var status: SessionStatus?
    /// The decision's reason code (declines, resubmissions).
    public var reasonCode: Int?
    /// The decision's reason text (e.g. "Physical document not used"; at most 500 characters).
    public var reason: String?
    /// The payload's own time: `decisionTime`, else `acceptanceTime`.
    public var occurredAt: Date?
    /// Set when the body could not be read as a webhook: it is recorded as unparseable and acknowledged.
    public var unparseableReason: String?

    public init(
        kind: Kind, bodySHA256: String, sessionID: String? = nil, attemptID: String? = nil, vendorData: String? = nil,
        code: Int? = nil, statusText: String? = nil, status: SessionStatus? = nil, reasonCode: Int? = nil,
        reason: String? = nil, occurredAt: Date? = nil, unparseableReason: String? = nil
    ) {
        self.kind = kind
        self.bodySHA256 = bodySHA256
        self.sessionID = sessionID
        self.attemptID = attemptID
        self.vendorData = vendorData
        self.code = code
        self.statusText = statusText
        self.status = status
        self.reasonCode = reasonCode
        self.reason = reason
        self.occurredAt = occurredAt
        self.unparseableReason = unparseableReason
    }
}
