/// How far the end-users got with the sessions handed out, by Veriff's webhooks: the dashboard's funnel.
///
/// Each stage counts the rows whose session reached it, whatever came after: a declined session was started and
/// submitted. `expired` sessions were never started; `abandoned` ones were started, never submitted.
public struct DecisionFunnel: Sendable, Hashable {
    /// Sessions handed out: provisioned rows (or, if more, rows with a session status).
    public var sessions: Int
    /// Sessions the end-user started.
    public var started: Int
    /// Sessions the end-user submitted.
    public var submitted: Int
    /// Sessions Veriff decided: approved, declined or resubmission requested.
    public var decided: Int
    /// The decisions and endings.
    public var approved: Int
    public var declined: Int
    public var resubmissionRequested: Int
    /// Under review (submitted, not decided yet).
    public var review: Int
    /// Expired (never started) or abandoned (started, never submitted).
    public var expiredOrAbandoned: Int

    /// - Parameters:
    ///   - provisionedRows: Rows with status `provisioned`.
    ///   - sessionStatuses: Rows by `session_status` (unknown statuses are ignored).
    public init(provisionedRows: Int, sessionStatuses: [String: Int]) {
        func count(_ statuses: Set<SessionStatus>) -> Int {
            statuses.reduce(0) { $0 + (sessionStatuses[$1.rawValue] ?? 0) }
        }
        let all = Set(SessionStatus.allCases)
        sessions = max(provisionedRows, count(all))
        started = count(all.subtracting([.created, .expired]))
        submitted = count(all.subtracting([.created, .started, .expired, .abandoned]))
        decided = count([.approved, .declined, .resubmissionRequested])
        approved = count([.approved])
        declined = count([.declined])
        resubmissionRequested = count([.resubmissionRequested])
        review = count([.review])
        expiredOrAbandoned = count([.expired, .abandoned])
    }
}
