/// A Veriff session's status, as the decision and event webhooks report it.
///
/// Statuses are ordered by rank: `created` < `started` < `submitted` < {`resubmission_requested`, `review`} <
/// final {`approved`, `declined`, `expired`, `abandoned`}. See ``transition(to:at:currentAt:)`` for how a
/// webhook may move a row from one to another.
public enum SessionStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case created
    case started
    case submitted
    case resubmissionRequested = "resubmission_requested"
    case review
    case approved
    case declined
    case expired
    case abandoned

    public var description: String { rawValue }

    /// The order statuses follow in one session: a webhook never moves a row to a lower rank (one exception,
    /// see ``transition(to:at:currentAt:)``).
    public var rank: Int {
        switch self {
        case .created: 0
        case .started: 1
        case .submitted: 2
        case .resubmissionRequested, .review: 3
        case .approved, .declined, .expired, .abandoned: 4
        }
    }

    /// Whether the session is over: nothing moves a row away from a final status.
    public var isFinal: Bool { rank == 4 }

    /// Whether a row in this status may be renewed once its session has expired: the end-user never finished
    /// (`created`/`started`), or Veriff said so (`expired`/`abandoned`). Never a decided or pending review.
    public var isRenewable: Bool {
        switch self {
        case .created, .started, .expired, .abandoned: true
        default: false
        }
    }

    /// The status a Veriff code stands for: 7001 started, 7002 submitted, 9001 approved, 9102 declined,
    /// 9103 resubmission requested, 9104 expired (or abandoned: the payload's status string tells), 9121 review.
    public init?(code: Int) {
        switch code {
        case 7001: self = .started
        case 7002: self = .submitted
        case 9001: self = .approved
        case 9102: self = .declined
        case 9103: self = .resubmissionRequested
        case 9104: self = .expired
        case 9121: self = .review
        default: return nil
        }
    }

    /// The status named by a payload's `status` or `action` string, case-insensitive.
    public init?(name: String) {
        let lower = name.lowercased()
        guard let status = SessionStatus(rawValue: lower) else { return nil }
        self = status
    }

    /// The status a webhook reports: its status (or action) string when Veriff's, else its code.
    ///
    /// The string wins because 9104 covers both `expired` and `abandoned`.
    public static func reported(name: String?, code: Int?) -> SessionStatus? {
        if let name, let status = SessionStatus(name: name) { return status }
        return code.flatMap(SessionStatus.init(code:))
    }
}
