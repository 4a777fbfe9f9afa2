import Postgres

/// How the queue's sessions ended (or stand), by Veriff's status, and how many rows were renewed: for `status`.
public struct LifecycleCounts: Sendable, Hashable {
    /// Rows by `session_status` (`created`, `started`, `submitted`, `approved`, ...); rows without one are left
    /// out. Statuses the provisioner does not know are counted under their own text.
    public var byStatus: [String: Int]
    /// Rows renewed at least once.
    public var renewedRows: Int
    /// Renewals in all (a row renewed twice counts 2).
    public var renewals: Int
    /// Provisioned rows renewable now (their session expired without a decision): `renew` would take them.
    public var awaitingRenewal: Int
    /// Webhooks received (distinct bodies) and how many of them changed a row.
    public var webhooksReceived: Int
    public var webhooksApplied: Int

    public init(
        byStatus: [String: Int] = [:], renewedRows: Int = 0, renewals: Int = 0, awaitingRenewal: Int = 0,
        webhooksReceived: Int = 0, webhooksApplied: Int = 0
    ) {
        self.byStatus = byStatus
        self.renewedRows = renewedRows
        self.renewals = renewals
        self.awaitingRenewal = awaitingRenewal
        self.webhooksReceived = webhooksReceived
        self.webhooksApplied = webhooksApplied
    }

    /// The count for one status (0 when none).
    public subscript(status: SessionStatus) -> Int { byStatus[status.rawValue] ?? 0 }

    /// Decisions: approved.
    public var approved: Int { self[.approved] }
    /// Decisions: declined.
    public var declined: Int { self[.declined] }
    /// Decisions: resubmission requested.
    public var resubmissionRequested: Int { self[.resubmissionRequested] }
    /// Decisions: under review.
    public var review: Int { self[.review] }
    /// Expired (never started) or abandoned (started, never submitted) sessions not yet renewed.
    public var expiredOrAbandoned: Int { self[.expired] + self[.abandoned] }

    /// Reads the counts.
    /// - Parameter connection: A connection to the queue's database (migrated to version 3 or later).
    /// - Throws: ``PostgresError``.
    public static func fetch(_ connection: PostgresConnection) async throws -> LifecycleCounts {
        var counts = LifecycleCounts()
        for row in try await connection.query(
            """
            SELECT session_status, count(*) AS n FROM session_queue
            WHERE session_status IS NOT NULL GROUP BY session_status
            """)
        {
            counts.byStatus[try row.decode("session_status")] = try row.decode("n", as: Int.self)
        }
        if let row = try await connection.query(
            """
            SELECT count(*) FILTER (WHERE renewed_count > 0) AS renewed_rows,
                   coalesce(sum(renewed_count), 0) AS renewals,
                   count(*) FILTER (WHERE \(SessionRenewal.renewableCondition)) AS awaiting
            FROM session_queue
            """
        ).first {
            counts.renewedRows = try row.decode("renewed_rows")
            counts.renewals = try row.decode("renewals")
            counts.awaitingRenewal = try row.decode("awaiting")
        }
        if let row = try await connection.query(
            "SELECT count(*) AS received, count(*) FILTER (WHERE applied) AS applied FROM webhook_events"
        ).first {
            counts.webhooksReceived = try row.decode("received")
            counts.webhooksApplied = try row.decode("applied")
        }
        return counts
    }
}
