import Postgres

/// A cap learned from Veriff's 429s for one limiter key, as `status`, `check` and the run summary report it.
public struct LearnedCap: Sendable, Codable, Hashable {
    /// The limiter key (one per integration).
    public var key: String
    /// The cap the runners were configured with, per minute.
    public var configuredPerMinute: Double
    /// What Veriff accepted in the trailing window at the last 429, per minute: the learned cap.
    public var acceptedPerMinute: Double
    /// The rate aimed at under it now (less the headroom; more while probing upward), per minute.
    public var aimingPerMinute: Double
    /// When it was learned, in seconds since 1970.
    public var learnedAt: Double
    /// When it will be forgotten (the configured cap applies again), in seconds since 1970.
    public var expiresAt: Double

    /// Creates a report.
    public init(
        key: String, configuredPerMinute: Double, acceptedPerMinute: Double, aimingPerMinute: Double,
        learnedAt: Double, expiresAt: Double
    ) {
        self.key = key
        self.configuredPerMinute = configuredPerMinute
        self.acceptedPerMinute = acceptedPerMinute
        self.aimingPerMinute = aimingPerMinute
        self.learnedAt = learnedAt
        self.expiresAt = expiresAt
    }

    /// One line for the operator: "configured 600/min, Veriff accepted about 30/min on this integration — is the
    /// tier right?".
    /// - Parameter configuredPerMinute: the cap this command was given, if it knows one; else the stored one.
    public func advisory(configuredPerMinute: Double? = nil) -> String {
        Self.advisory(
            configuredPerMinute: configuredPerMinute ?? self.configuredPerMinute, acceptedPerMinute: acceptedPerMinute)
    }

    /// The advisory line for a configured and an accepted rate.
    /// - Parameters:
    ///   - configuredPerMinute: the configured cap, per minute.
    ///   - acceptedPerMinute: what Veriff accepted, per minute.
    public static func advisory(configuredPerMinute: Double, acceptedPerMinute: Double) -> String {
        "configured \(format(configuredPerMinute))/min, Veriff accepted about \(format(acceptedPerMinute))/min on "
            + "this integration — is the tier right? (If another system, such as the web sign-up, creates sessions "
            + "on it, raise --headroom to its share.)"
    }

    /// Whole numbers from 10 up, one decimal below.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value >= 10 { return String(Int(value.rounded())) }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Every learned cap in force in the database (`status`, `check`), newest first.
    /// - Parameters:
    ///   - connection: a connection to the provisioner's database.
    ///   - key: only this limiter key, when given.
    /// - Returns: the learned caps; none when migration 005 is not applied.
    /// - Throws: `PostgresError` when the query fails.
    public static func read(_ connection: PostgresConnection, key: String? = nil) async throws -> [LearnedCap] {
        let present = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_name = 'rate_limiter_state' AND column_name = 'learned_cap') AS present
            """)
        guard try present.first?.decode("present", as: Bool.self) == true else { return [] }
        let rows = try await connection.query(
            """
            SELECT key, configured_cap * 60000000.0 / window_us AS configured,
                   learned_cap * 60000000.0 / window_us AS accepted,
                   coalesce(probe_cap, learned_cap) * 60000000.0 / window_us * (1 - headroom) AS aiming,
                   extract(epoch FROM learned_at)::double precision AS learned,
                   extract(epoch FROM learned_until)::double precision AS expires
            FROM rate_limiter_state
            WHERE learned_cap IS NOT NULL AND learned_until > clock_timestamp() AND ($1::text IS NULL OR key = $1)
            ORDER BY learned_at DESC
            """, [key])
        return try rows.map { row in
            LearnedCap(
                key: try row.decode("key"), configuredPerMinute: try row.decode("configured"),
                acceptedPerMinute: try row.decode("accepted"), aimingPerMinute: try row.decode("aiming"),
                learnedAt: try row.decode("learned"), expiresAt: try row.decode("expires"))
        }
    }

    /// The advisory lines for `check`: reads the learned caps of `key`; nothing on any failure (the database
    /// checks report those).
    /// - Parameters:
    ///   - pool: the provisioner's database.
    ///   - key: the limiter key.
    public static func advisories(pool: PostgresConnectionPool, key: String) async -> [String] {
        let caps = (try? await pool.withConnection { try await read($0, key: key) }) ?? []
        return caps.map { $0.advisory() }
    }
}
