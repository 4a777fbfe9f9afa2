import Postgres

/// What `/metrics` shows about the queue, the runs, the shared limiter and the webhooks: read-only counts, read
/// at scrape time.
///
/// Every number comes from the tables this module owns (`session_queue`, `session_attempts`, `provisioner_runs`,
/// `webhook_events`) and from the shared limiter's `rate_limiter_state`; nothing is written.
public struct QueueMetrics: Sendable, Hashable {
    /// The queue's statuses, in the order `status` shows them (``QueueRowStatus``).
    public static let queueStatuses = QueueRowStatus.allCases.map(\.rawValue)
    /// The outcomes `session_attempts.outcome` may hold: the HTTP attempts, rescues, and operators' changes
    /// (``QueueRowAction/pastTense``).
    public static let attemptOutcomes =
        ["created", "rejected", "rate_limited", "transient", "fatal", "in_doubt", "invalid", "rescued"]
        + QueueRowAction.allCases.map(\.pastTense)

    /// The latest run (by id): what it was told the cap is, and whether it still works.
    public struct Run: Sendable, Hashable {
        public var id: Int64
        /// `running`, `completed`, `rows_failed`, ... (``RunLog/Outcome``).
        public var outcome: String
        /// The cap the run was started with, sessions per minute; `nil` for a run without one (dry run).
        public var capPerMinute: Double?
        /// Sessions that run created so far (its attempts answered 201).
        public var sessionsCreated: Int
        /// Answers 429 that run received so far.
        public var rateLimited: Int
    }

    /// One row of the shared limiter (one per integration).
    public struct Limiter: Sendable, Hashable {
        /// The row's key (the integration id, or the default key).
        public var key: String
        /// The rate the limiter spaces sends at now, sessions per minute: the cap after headroom, times the factor a
        /// 429 cut it to (recovering over time). `nil` until a run has taken a slot.
        public var ratePerMinute: Double?
        /// The factor the last 429s left (1 = full rate).
        public var rateFactor: Double
        /// Whether every runner is paused now (Veriff's `Retry-After`).
        public var paused: Bool
        /// Answers 429 ever recorded in this row.
        public var rateLimitedTotal: Int
    }

    /// Rows by status; every status of ``queueStatuses`` is present (0 when none).
    public var rowsByStatus: [String: Int]
    /// Rows in doubt (a request may have created a session whose answer was lost) that no person has settled:
    /// ``QueueRowState/inDoubtCondition``, as `status` and `rows` count them.
    public var inDoubt: Int
    /// Rows by Veriff's session status as the webhooks reported it; every ``SessionStatus`` is present.
    public var sessionStatuses: [String: Int]
    /// Attempts (HTTP requests to Veriff) by outcome; every outcome of ``attemptOutcomes`` is present.
    public var attemptsByOutcome: [String: Int]
    /// Attempts answered HTTP 429.
    public var rateLimitedAnswers: Int
    /// Webhooks recorded (distinct bodies) and how many of them changed a row.
    public var webhooksRecorded: Int
    public var webhooksApplied: Int
    /// The latest run, if any ran.
    public var latestRun: Run?
    /// The shared limiter's rows.
    public var limiters: [Limiter]

    /// Sessions created: attempts answered 201.
    public var sessionsCreated: Int { attemptsByOutcome["created"] ?? 0 }

    /// Reads the metrics with a handful of aggregate queries (no row is locked or changed).
    ///
    /// - Parameter connection: A connection to the queue's database (migrated to version 3 or later).
    /// - Returns: The counts now.
    /// - Throws: ``PostgresError``.
    public static func read(_ connection: PostgresConnection) async throws -> QueueMetrics {
        let counts = try await QueueCounts.read(connection)
        var rowsByStatus = Dictionary(uniqueKeysWithValues: queueStatuses.map { ($0, 0) })
        for (status, count) in counts.byStatus { rowsByStatus[status.rawValue, default: 0] += count }
        var sessionStatuses = Dictionary(uniqueKeysWithValues: SessionStatus.allCases.map { ($0.rawValue, 0) })
        sessionStatuses.merge(counts.sessionStatuses, uniquingKeysWith: +)
        let inDoubt = counts.inDoubt

        var attemptsByOutcome = Dictionary(uniqueKeysWithValues: attemptOutcomes.map { ($0, 0) })
        var rateLimitedAnswers = 0
        for row in try await connection.query(
            """
            SELECT outcome, count(*) AS n, count(*) FILTER (WHERE http_status = 429) AS answered_429
            FROM session_attempts GROUP BY outcome
            """)
        {
            attemptsByOutcome[try row.decode("outcome"), default: 0] += try row.decode("n", as: Int.self)
            rateLimitedAnswers += try row.decode("answered_429", as: Int.self)
        }

        let webhooks = try await connection.query(
            "SELECT count(*) AS recorded, count(*) FILTER (WHERE applied) AS applied FROM webhook_events")[0]

        let latestRun = try await connection.query(
            """
            SELECT r.id, r.outcome, r.cap_per_minute,
                   (SELECT count(*) FROM session_attempts a WHERE a.run_id = r.id AND a.outcome = 'created')
                       AS created,
                   (SELECT count(*) FROM session_attempts a WHERE a.run_id = r.id AND a.http_status = 429)
                       AS rate_limited
            FROM provisioner_runs r ORDER BY r.id DESC LIMIT 1
            """
        ).first.map { row in
            Run(
                id: try row.decode("id"), outcome: try row.decode("outcome"),
                capPerMinute: try row.decode("cap_per_minute"), sessionsCreated: try row.decode("created"),
                rateLimited: try row.decode("rate_limited"))
        }

        let limiters = try await connection.query(
            """
            SELECT key, 60000000.0 / emission_interval_us * rate_factor AS rate_per_minute, rate_factor,
                   paused_until > clock_timestamp() AS paused, rate_limited_total
            FROM rate_limiter_state ORDER BY key
            """
        ).map { row in
            Limiter(
                key: try row.decode("key"), ratePerMinute: try row.decode("rate_per_minute"),
                rateFactor: try row.decode("rate_factor"), paused: try row.decode("paused"),
                rateLimitedTotal: try row.decode("rate_limited_total"))
        }

        return QueueMetrics(
            rowsByStatus: rowsByStatus, inDoubt: inDoubt, sessionStatuses: sessionStatuses,
            attemptsByOutcome: attemptsByOutcome, rateLimitedAnswers: rateLimitedAnswers,
            webhooksRecorded: try webhooks.decode("recorded"), webhooksApplied: try webhooks.decode("applied"),
            latestRun: latestRun, limiters: limiters)
    }
}
