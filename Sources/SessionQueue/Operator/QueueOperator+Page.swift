import Postgres

extension QueueOperator {
    /// The most rows ``page(in:after:limit:)`` returns at once.
    public static let maximumPageSize = 500

    /// A page of the rows in any of `states`, newest change first, after `cursor` (keyset pagination: the cost of
    /// a page does not grow with the rows before it or the rows matching).
    ///
    /// For the states that need a person (failed, held, in doubt) the query reads the partial index
    /// `session_queue_needs_person` (migration 7) in order, about one page of entries. Like
    /// ``rows(in:since:limit:)``, never a session url or token, nor the end-user's personal data.
    /// - Parameters:
    ///   - states: The states to list (a row in several is listed once). Defaults to
    ///     ``QueueRowState/needingAttention``.
    ///   - cursor: Where the previous page ended; `nil` for the first page.
    ///   - limit: The page size, 1 to ``maximumPageSize``. Defaults to 50.
    /// - Returns: The rows and the next page's cursor.
    /// - Throws: ``PostgresError``.
    public func page(
        in states: [QueueRowState] = QueueRowState.needingAttention, after cursor: QueueRowCursor? = nil,
        limit: Int = 50
    ) async throws -> QueueRowPage {
        let limit = min(max(limit, 1), Self.maximumPageSize)
        guard !states.isEmpty else { return QueueRowPage(states: states, rows: [], next: nil) }
        // The condition is built from the closed set of states (enum raw values and one fixed condition), never
        // from text a caller typed: constants in the SQL let the planner prove the partial index applies.
        let condition = Self.condition(for: states)
        var parameters: [any PostgresEncodable] = [limit + 1]
        var keyset = ""
        if let cursor {
            keyset = "AND (updated_at, id) < (timestamptz 'epoch' + $2 * interval '1 microsecond', $3)"
            parameters += [cursor.updatedAtMicroseconds, cursor.id]
        }
        let rows = try await pool.query(
            """
            SELECT id, status, in_doubt, attempts, last_error, last_error_code, next_attempt_at, vendor_data,
                   updated_at, claimed_by, lease_expires_at,
                   (extract(epoch FROM updated_at) * 1000000)::bigint AS updated_us
            FROM session_queue
            WHERE (\(condition)) \(keyset)
            ORDER BY updated_at DESC, id DESC
            LIMIT $1
            """, parameters)
        let summaries = try rows.prefix(limit).map(Self.summary)
        var next: QueueRowCursor?
        if rows.count > limit, let last = rows.prefix(limit).last {
            next = QueueRowCursor(updatedAtMicroseconds: try last.decode("updated_us"), id: try last.decode("id"))
        }
        return QueueRowPage(states: states, rows: summaries, next: next)
    }

    /// The SQL condition for rows in any of `states`.
    static func condition(for states: [QueueRowState]) -> String {
        var statuses: [String] = []
        var inDoubt = false
        for state in states {
            switch state {
            case .status(let status): if !statuses.contains(status.rawValue) { statuses.append(status.rawValue) }
            case .inDoubt: inDoubt = true
            }
        }
        var parts: [String] = []
        if !statuses.isEmpty { parts.append("status IN (" + statuses.map { "'\($0)'" }.joined(separator: ", ") + ")") }
        if inDoubt { parts.append(QueueRowState.inDoubtCondition) }
        return parts.joined(separator: " OR ")
    }
}
