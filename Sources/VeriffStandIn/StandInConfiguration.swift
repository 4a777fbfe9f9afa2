/// How the stand-in counts its cap's window.
public enum StandInWindowKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Any `window` ending at an arrival: `(t − window, t]`.
    case sliding
    /// Consecutive windows from the Unix epoch (clock minutes for 60 s); the count starts again at each.
    case fixed
}

/// How the stand-in's cap 429s carry `Retry-After`.
public enum StandInRetryAfterStyle: String, Sendable, Hashable, CaseIterable, Codable {
    /// Delay-seconds: `Retry-After: 57`.
    case seconds
    /// An HTTP date: `Retry-After: Sun, 06 Nov 1994 08:49:37 GMT`.
    case date
    /// No `Retry-After` at all.
    case none
}

/// How the Veriff stand-in behaves: the key it accepts, its cap, latency and faults.
public struct StandInConfiguration: Sendable {
    /// The API key to accept in `X-AUTH-CLIENT` (a UUID, like Veriff's). No default: required.
    public var apiKey: String
    /// When set, `vrf-integration-id` must carry it (flexible API key setup). Defaults to `nil`: not checked.
    public var integrationID: String?
    /// Sessions allowed per sliding ``window``; beyond it 429. Defaults to `nil`: unlimited.
    public var cap: Int?
    /// The cap's window, also used for ``StandInStats/maxSessionsInAnyWindow``. Defaults to 60 seconds.
    public var window: Duration
    /// `Retry-After` seconds on cap 429s; `nil` sends the time until a slot frees, rounded up. Defaults to `nil`.
    public var retryAfterSeconds: Int?
    /// Whether the cap's window slides or is fixed (clock minutes). Defaults to `.sliding`.
    public var windowKind: StandInWindowKind
    /// How cap 429s carry `Retry-After`. Defaults to `.seconds`.
    public var retryAfterStyle: StandInRetryAfterStyle
    /// Another system's sessions per minute on the same integration: evenly spaced, they use the cap (and get
    /// 429s when it is full) without going through the stand-in's clients, as if running for a window already.
    /// Defaults to 0.
    public var backgroundPerMinute: Double
    /// Mean added latency per answer. Defaults to zero.
    public var latencyMean: Duration
    /// Latency varies uniformly in `mean ± jitter` (never below zero). Defaults to zero.
    public var latencyJitter: Duration
    /// Random faults. Defaults to none.
    public var faults: StandInFaults
    /// Keep every created session for ``VeriffStandIn/stats(includeSessions:)``. Defaults to `true`.
    public var keepsSessions: Bool
    /// The `host` reported for sessions and the base of their `url`. Defaults to `https://alchemy.veriff.com`.
    public var sessionHost: String

    public init(
        apiKey: String, integrationID: String? = nil, cap: Int? = nil, window: Duration = .seconds(60),
        retryAfterSeconds: Int? = nil, latencyMean: Duration = .zero, latencyJitter: Duration = .zero,
        faults: StandInFaults = StandInFaults(), keepsSessions: Bool = true,
        sessionHost: String = "https://alchemy.veriff.com"
    ) {
        self.apiKey = apiKey
        self.integrationID = integrationID
        self.cap = cap
        self.window = window
        self.retryAfterSeconds = retryAfterSeconds
        self.windowKind = .sliding
        self.retryAfterStyle = .seconds
        self.backgroundPerMinute = 0
        self.latencyMean = latencyMean
        self.latencyJitter = latencyJitter
        self.faults = faults
        self.keepsSessions = keepsSessions
        self.sessionHost = sessionHost
    }
}

/// Probabilities (0...1) of faults, drawn independently per valid request, in this order.
public struct StandInFaults: Sendable {
    /// Start a burst of ``rateLimitBurstLength`` 429s (as when another system shares the cap). Defaults to 0.
    public var rateLimitBurst: Double
    /// The number of 429s in one burst. Defaults to 10.
    public var rateLimitBurstLength: Int
    /// 500 with a JSON body; no session. Defaults to 0.
    public var internalError: Double
    /// 503 with an HTML body, like a proxy; no session. Defaults to 0.
    public var serviceUnavailableHTML: Double
    /// The session is created, then the connection is reset without an answer. Defaults to 0.
    public var connectionReset: Double
    /// The session is created and answered after ``slowAnswerDelay``. Defaults to 0.
    public var slowAnswer: Double
    /// The delay of a slow answer; longer than the client's timeout. Defaults to 35 seconds.
    public var slowAnswerDelay: Duration
    /// The session is created but the 201 body is cut off mid-JSON. Defaults to 0.
    public var brokenBody: Double

    public init(
        rateLimitBurst: Double = 0, rateLimitBurstLength: Int = 10, internalError: Double = 0,
        serviceUnavailableHTML: Double = 0, connectionReset: Double = 0, slowAnswer: Double = 0,
        slowAnswerDelay: Duration = .seconds(35), brokenBody: Double = 0
    ) {
        self.rateLimitBurst = rateLimitBurst
        self.rateLimitBurstLength = rateLimitBurstLength
        self.internalError = internalError
        self.serviceUnavailableHTML = serviceUnavailableHTML
        self.connectionReset = connectionReset
        self.slowAnswer = slowAnswer
        self.slowAnswerDelay = slowAnswerDelay
        self.brokenBody = brokenBody
    }
}
