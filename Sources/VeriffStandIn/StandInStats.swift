import VeriffAPI

/// What the stand-in saw: served as JSON on `GET /_standin/stats` and printed on exit.
public struct StandInStats: Sendable, Codable, Hashable {
    /// Answers to POST /v1/sessions by status (`"201"`, `"429"`, ...); resets count as `"reset"`.
    public var requestsByStatus: [String: Int]
    /// Sessions created (including those whose answer was then broken, slow or reset).
    public var sessionsCreated: Int
    /// The most sessions created in any window of ``windowSeconds`` (the background system's included).
    public var maxSessionsInAnyWindow: Int
    /// The most sessions created in one fixed (clock-aligned) window (the background system's included).
    public var maxSessionsInFixedWindow: Int?
    /// How the cap's window was counted.
    public var windowKind: StandInWindowKind?
    /// Requests of the background system that took a place in the window.
    public var backgroundAccepted: Int?
    /// Requests of the background system refused because the cap was full.
    public var backgroundRefused: Int?
    /// Sessions whose `vendorData` had already been used by an earlier session.
    public var duplicateVendorData: Int
    /// The window length used for the cap and ``maxSessionsInAnyWindow``.
    public var windowSeconds: Double
    /// The cap, if any.
    public var cap: Int?
    /// Every session created, in order; `nil` when not asked for or not kept.
    public var sessions: [StandInSession]?

    /// The number of answers with `status`.
    public func requests(status: Int) -> Int { requestsByStatus[String(status)] ?? 0 }
}

/// One session the stand-in created, and when its request arrived.
public struct StandInSession: Sendable, Codable, Hashable {
    /// What the 201 body carried (the session token is redacted in its `description`).
    public var session: CreatedSession
    /// When the request arrived, in nanoseconds since the stand-in started.
    public var arrivalNanoseconds: Int64

    public init(session: CreatedSession, arrivalNanoseconds: Int64) {
        self.session = session
        self.arrivalNanoseconds = arrivalNanoseconds
    }

    /// When the request arrived, since the stand-in started (``VeriffStandIn/startInstant``).
    public var arrival: Duration { .nanoseconds(arrivalNanoseconds) }
}
