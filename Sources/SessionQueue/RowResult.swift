import VeriffAPI

/// What became of one claimed row, to be written back.
public struct RowResult: Sendable, Hashable {
    public enum Disposition: Sendable, Hashable {
        /// Veriff created the session.
        case provisioned(CreatedSession)
        /// Veriff refused the data, or the row ran out of attempts: a person must look at it.
        case failed(code: String?, message: String)
        /// Local validation failed; no request was sent.
        case invalid(reason: String)
        /// Try again after `delay` (transient failure, 429, or in doubt and re-sent by default).
        case retry(after: Duration, code: String?, message: String)
        /// A 429: try again after `after`; the attempt is refunded (the cap was busy, the row is not to blame).
        case rateLimited(after: Duration)
        /// In doubt and held for a person (`--hold-in-doubt`).
        case held(message: String)
        /// Never sent (graceful stop, fatal answer for another row): back to pending, the attempt refunded.
        case released
    }

    public var rowID: Int64
    public var disposition: Disposition
    /// Whether this attempt may have created a session whose answer was lost (sticky on the row).
    public var inDoubt: Bool
    /// The attempt to log, when an HTTP request (or a validation) happened.
    public var attempt: AttemptRecord?

    public init(rowID: Int64, disposition: Disposition, inDoubt: Bool = false, attempt: AttemptRecord? = nil) {
        self.rowID = rowID
        self.disposition = disposition
        self.inDoubt = inDoubt
        self.attempt = attempt
    }
}

/// One line of the attempts log (`session_attempts`).
public struct AttemptRecord: Sendable, Hashable {
    /// `created`, `rejected`, `rate_limited`, `transient`, `fatal`, `in_doubt` or `invalid`.
    public var outcome: String
    public var attemptNumber: Int
    /// Seconds since 1970 when the request started.
    public var startedAt: Double
    public var durationMilliseconds: Double?
    public var httpStatus: Int?
    public var veriffCode: String?
    public var message: String?
    public var sessionID: String?

    public init(
        outcome: String, attemptNumber: Int, startedAt: Double, durationMilliseconds: Double? = nil,
        httpStatus: Int? = nil, veriffCode: String? = nil, message: String? = nil, sessionID: String? = nil
    ) {
        self.outcome = outcome
        self.attemptNumber = attemptNumber
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.httpStatus = httpStatus
        self.veriffCode = veriffCode
        self.message = message
        self.sessionID = sessionID
    }
}
