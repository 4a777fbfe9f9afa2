import Foundation
import Postgres

/// Sessions created per minute over a span of time (attempts answered 201 in `session_attempts`, by the minute
/// their request started): what the dashboard's chart draws against the cap.
public struct SessionsPerMinute: Sendable, Hashable {
    /// One minute with at least one session created.
    public struct Minute: Sendable, Hashable {
        /// The minute's start.
        public var start: Date
        /// Sessions created in it.
        public var created: Int

        public init(start: Date, created: Int) {
            self.start = start
            self.created = created
        }
    }

    /// The span's start and end (the database's clock).
    public var from: Date
    public var to: Date
    /// The minutes that have data, in time order; minutes without a session are left out.
    public var minutes: [Minute]

    public init(from: Date, to: Date, minutes: [Minute]) {
        self.from = from
        self.to = to
        self.minutes = minutes
    }

    /// Sessions created in the span.
    public var total: Int { minutes.reduce(0) { $0 + $1.created } }

    /// The busiest minute, if any.
    public var peak: Minute? { minutes.max { $0.created < $1.created } }

    /// The last `hours` hours up to now.
    /// - Parameters:
    ///   - connection: A connection to the queue's database.
    ///   - hours: How far back. Defaults to 24.
    /// - Throws: ``PostgresError``.
    public static func read(_ connection: PostgresConnection, lastHours hours: Int = 24) async throws
        -> SessionsPerMinute
    {
        try await read(
            connection, bounds: "SELECT now() - $1 * interval '1 hour' AS lo, now() AS hi, NULL::bigint AS run",
            [hours])
            ?? SessionsPerMinute(from: Date(), to: Date(), minutes: [])
    }

    /// One run's sessions, from its start to its end (or now, while it runs).
    /// - Parameters:
    ///   - connection: A connection to the queue's database.
    ///   - runID: The run.
    /// - Returns: The run's minutes; `nil` when there is no such run.
    /// - Throws: ``PostgresError``.
    public static func read(_ connection: PostgresConnection, runID: Int64) async throws -> SessionsPerMinute? {
        try await read(
            connection,
            bounds: """
                SELECT started_at AS lo, coalesce(finished_at, greatest(now(), started_at)) AS hi, id AS run
                FROM provisioner_runs WHERE id = $1
                """, [runID])
    }

    /// Counts by minute within the bounds that `bounds` selects (`lo`, `hi`, and `run` to keep one run's).
    private static func read(
        _ connection: PostgresConnection, bounds: String, _ parameters: [any PostgresEncodable]
    ) async throws -> SessionsPerMinute? {
        // Reads only the partial index session_attempts_created (migration 7): created attempts by time, with the run.
        let rows = try await connection.query(
            """
            WITH b AS (\(bounds))
            SELECT b.lo, b.hi, m.minute, m.n
            FROM b LEFT JOIN LATERAL (
                SELECT extract(epoch FROM date_trunc('minute', a.started_at))::bigint AS minute, count(*) AS n
                FROM session_attempts a
                WHERE a.outcome = 'created' AND a.started_at >= b.lo AND a.started_at <= b.hi
                  AND (b.run IS NULL OR a.run_id = b.run)
                GROUP BY 1
            ) m ON true
            ORDER BY m.minute
            """, parameters)
        guard let first = rows.first else { return nil }
        let minutes = try rows.compactMap { row -> Minute? in
            guard let minute: Int64 = try row.decode("minute") else { return nil }
            return Minute(start: Date(timeIntervalSince1970: TimeInterval(minute)), created: try row.decode("n"))
        }
        return SessionsPerMinute(from: try first.decode("lo"), to: try first.decode("hi"), minutes: minutes)
    }
}
