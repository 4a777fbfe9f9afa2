import Postgres

/// A limiter store in PostgreSQL: one `rate_limiter_state` row per key, changed only by the functions of
/// `sql/002_rate_limiter.sql`, timed by the database server's clock.
///
/// Each call is one statement on a pooled connection (a run's pool has room for it beside the claims and the
/// write-back, so a long claim query cannot delay a send slot), retried under the pool's reconnect policy when the
/// connection was lost (a reservation repeated after a lost answer only wastes slots; a repeated pause does not cut
/// the rate twice). No lock outlives a statement, so a runner that dies holds nothing.
public struct PostgresRateLimiterStore: RateLimiterStore {
    private let pool: PostgresConnectionPool
    private let key: String
    private let configuration: RateLimitConfiguration
    private let reconnect: ReconnectPolicy

    public var reservesInBatches: Bool { true }
    public let pauseCheckInterval: Duration?

    /// - Parameters:
    ///   - pool: the database that holds the shared state.
    ///   - key: the limiter key: one per Veriff integration (not the API key itself, which is a secret).
    ///   - configuration: the limiter's parameters; every runner sharing the key must use the same.
    ///   - pauseCheckInterval: how old this runner's knowledge of another runner's pause may be when it sends.
    ///   - reconnect: how a statement whose connection was lost is retried. Defaults to
    ///     ``ReconnectPolicy/standard``.
    public init(
        pool: PostgresConnectionPool, key: String, configuration: RateLimitConfiguration,
        pauseCheckInterval: Duration = .milliseconds(50), reconnect: ReconnectPolicy = .standard
    ) {
        self.pool = pool
        self.key = key
        self.configuration = configuration
        self.pauseCheckInterval = pauseCheckInterval
        self.reconnect = reconnect
    }

    public func reserve(count: Int) async throws -> SlotReservation {
        let rows = try await query(
            "SELECT * FROM rate_limiter_reserve($1, $2::integer, $3::double precision, $4::double precision)",
            [
                key, count, configuration.emissionInterval / .microseconds(1), configuration.rateIncreasePerMinute,
            ])
        guard let row = rows.first else { throw RateLimitError.storeFailed("reserve", "no row returned") }
        return try Self.reservation(row, count: count)
    }

    public func pause(for duration: Duration) async throws -> PauseOutcome {
        let rows = try await query(
            """
            SELECT * FROM rate_limiter_pause($1, $2::bigint, $3::bigint, $4::double precision, $5::double precision,
                $6::double precision)
            """,
            [
                key, Self.microseconds(duration), Self.microseconds(configuration.burstTolerance),
                configuration.rateDecrease, configuration.minimumRateFactor, configuration.rateIncreasePerMinute,
            ])
        guard let row = rows.first else { throw RateLimitError.storeFailed("pause", "no row returned") }
        return try Self.pauseOutcome(row)
    }

    public func reserve(count: Int, accepted: AcceptedSends) async throws -> SlotReservation {
        let (buckets, counts) = Self.arrays(accepted)
        let rows = try await query(
            """
            SELECT * FROM rate_limiter_take($1, $2::integer, $3::double precision, $4::double precision,
                $5::double precision, $6::double precision, $7::bigint, $8::bigint, $9::double precision,
                $10::double precision, $11::bigint[], $12::integer[])
            """,
            [
                key, count, configuration.emissionInterval / .microseconds(1), configuration.rateIncreasePerMinute,
                configuration.cap, configuration.headroom, Self.microseconds(configuration.window),
                Self.microseconds(configuration.learnedCapLifetime), configuration.probeQuietWindows,
                configuration.probeStepPerWindow, buckets, counts,
            ])
        guard let row = rows.first else { throw RateLimitError.storeFailed("take", "no row returned") }
        return try Self.reservation(row, count: count)
    }

    public func rateLimited(retryAfter: Duration?, pause: Duration, accepted: AcceptedSends) async throws
        -> PauseOutcome
    {
        let (buckets, counts) = Self.arrays(accepted)
        let clamped = retryAfter.map { Self.microseconds(configuration.pauseDuration(retryAfter: $0)) }
        let rows = try await query(
            """
            SELECT * FROM rate_limiter_limited($1, $2::bigint, $3::bigint, $4::double precision, $5::double precision,
                $6::double precision, $7::bigint, $8::bigint, $9::double precision, $10::bigint[], $11::integer[])
            """,
            [
                key, clamped, Self.microseconds(configuration.burstTolerance),
                configuration.emissionInterval / .microseconds(1), configuration.cap, configuration.headroom,
                Self.microseconds(configuration.window), Self.microseconds(configuration.learnedCapLifetime),
                configuration.minimumLearnedShare, buckets, counts,
            ])
        guard let row = rows.first else { throw RateLimitError.storeFailed("limited", "no row returned") }
        guard let learned = try row.decode("learned", as: Double?.self) else {
            // Nothing accepted in the trailing window: no measurement, the plain pause and halving.
            return try await self.pause(for: pause)
        }
        var outcome = try Self.pauseOutcome(row)
        outcome.learnedCap = learned
        outcome.measured = try row.decode("measured", as: Int?.self)
        return outcome
    }

    public func learnedCap() async throws -> LearnedCap? {
        try await pool.withConnection(retrying: reconnect) { try await LearnedCap.read($0, key: key).first }
    }

    /// Accepted sends as the two arrays the SQL functions take.
    private static func arrays(_ accepted: AcceptedSends) -> ([Int64], [Int]) {
        let ascending = accepted.ascending
        return (ascending.map(\.bucket), ascending.map(\.count))
    }

    public func pauseEpoch() async throws -> Int {
        let rows = try await query("SELECT pause_epoch FROM rate_limiter_state WHERE key = $1", [key])
        return Int(try rows.first?.decode("pause_epoch", as: Int64.self) ?? 0)
    }

    /// The 429s recorded for the key by every runner.
    public func rateLimitedTotal() async throws -> Int {
        let rows = try await query("SELECT rate_limited_total FROM rate_limiter_state WHERE key = $1", [key])
        return Int(try rows.first?.decode("rate_limited_total", as: Int64.self) ?? 0)
    }

    private func query(_ sql: String, _ parameters: [any PostgresEncodable]) async throws -> [PostgresRow] {
        try await pool.query(sql, parameters, retrying: reconnect)
    }

    /// A reservation as `rate_limiter_reserve` and `rate_limiter_take` return it.
    private static func reservation(_ row: PostgresRow, count: Int) throws -> SlotReservation {
        SlotReservation(
            now: .microseconds(try row.decode("now_us", as: Int64.self)),
            start: .microseconds(try row.decode("start_us", as: Int64.self)),
            spacing: .microseconds(try row.decode("spacing_us", as: Double.self)),
            count: count,
            pauseEpoch: Int(try row.decode("epoch", as: Int64.self)),
            rateFactor: try row.decode("factor"))
    }

    /// A pause as `rate_limiter_pause` and `rate_limiter_limited` return it (the learned cap left to the caller).
    private static func pauseOutcome(_ row: PostgresRow) throws -> PauseOutcome {
        PauseOutcome(
            now: .microseconds(try row.decode("now_us", as: Int64.self)),
            pausedUntil: .microseconds(try row.decode("paused_until_us", as: Int64.self)),
            rateCut: try row.decode("rate_cut"),
            pauseEpoch: Int(try row.decode("epoch", as: Int64.self)),
            rateFactor: try row.decode("factor"),
            rateLimitedTotal: Int(try row.decode("rate_limited", as: Int64.self)))
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        Int64((duration / .microseconds(1)).rounded(.up))
    }
}
