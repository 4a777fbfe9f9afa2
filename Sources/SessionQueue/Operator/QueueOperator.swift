import Foundation
import Postgres

/// What operators do to the queue without writing SQL: list rows by state (`provisioner rows`), and move them
/// (`requeue`, `hold`, `cancel`). The command line and a web dashboard call the same operations.
///
/// Every change is one transaction: the rows are locked (`FOR UPDATE SKIP LOCKED`, so an operator never waits for a
/// runner, nor a runner long for an operator, and the two can never deadlock), each is decided by
/// ``QueueRowTransition`` (a row claimed by a live runner is never touched), the changed rows are updated, and each
/// change is written to `session_attempts` with who asked (the caller's actor and the database role) and when.
public struct QueueOperator: Sendable {
    /// The most rows ``rows(in:since:limit:)`` lists at once.
    public static let maximumListed = 10_000

    let pool: PostgresConnectionPool

    /// - Parameter pool: Where the queue lives.
    public init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// Lists the rows in any of `states`, most recently changed first: id, status, attempts, last error, next
    /// attempt, vendorData, times. Never a session url or token, nor the end-user's personal data.
    /// - Parameters:
    ///   - states: The states to list (a row in several is listed once).
    ///   - since: Only rows changed at or after this instant. Defaults to any time.
    ///   - limit: The most rows to list, 1 to ``maximumListed``. Defaults to 100.
    /// - Returns: The rows and how many matched in all.
    /// - Throws: ``PostgresError``.
    public func rows(in states: [QueueRowState], since: Date? = nil, limit: Int = 100) async throws
        -> QueueRowListing
    {
        let limit = min(max(limit, 1), Self.maximumListed)
        let filter = StateFilter(states)
        let rows = try await pool.query(
            """
            SELECT id, status, in_doubt, attempts, last_error, last_error_code, next_attempt_at, vendor_data,
                   updated_at, claimed_by, lease_expires_at, count(*) OVER () AS matching
            FROM session_queue
            WHERE (status = ANY($1::text[]) OR ($2 AND \(QueueRowState.inDoubtCondition)))
              AND ($3::timestamptz IS NULL OR updated_at >= $3)
            ORDER BY updated_at DESC, id DESC
            LIMIT $4
            """, [filter.statuses, filter.inDoubt, since, limit])
        let summaries = try rows.map(Self.summary)
        return QueueRowListing(
            states: states, since: since, limit: limit, matching: try rows.first?.decode("matching") ?? 0,
            rows: summaries)
    }

    /// Requeues, holds or cancels the selected rows, under ``QueueRowTransition``'s rule, in one transaction.
    /// - Parameter operation: What to do, to which rows, who asks and why; with `dryRun` nothing is changed.
    /// - Returns: The rows changed (or that would be) and the rows left alone, each with the reason.
    /// - Throws: ``PostgresError``: nothing was changed.
    public func perform(_ operation: QueueOperation) async throws -> QueueOperationResult {
        try await pool.withConnection { connection in
            try await connection.transaction { connection in
                try await Self.perform(operation, on: connection)
            }
        }
    }

    /// ``perform(_:)`` on a connection inside a transaction.
    private static func perform(_ operation: QueueOperation, on connection: PostgresConnection) async throws
        -> QueueOperationResult
    {
        var skipped: [QueueOperationResult.Skip] = []
        let byID: Bool
        let filter: StateFilter
        let candidates: [Int64]
        switch operation.selection {
        case .ids(let ids):
            byID = true
            filter = StateFilter([])
            let wanted = Array(Set(ids)).sorted()
            candidates = try await connection.query(
                "SELECT id FROM session_queue WHERE id = ANY($1::bigint[]) ORDER BY id", [wanted]
            ).map { try $0.decode("id", as: Int64.self) }
            let found = Set(candidates)
            skipped += wanted.filter { !found.contains($0) }.map {
                QueueOperationResult.Skip(id: $0, status: nil, reason: .notFound)
            }
        case .states(let states):
            byID = false
            filter = StateFilter(states)
            candidates = try await connection.query(
                """
                SELECT id FROM session_queue
                WHERE status = ANY($1::text[]) OR ($2 AND \(QueueRowState.inDoubtCondition)) ORDER BY id
                """, [filter.statuses, filter.inDoubt]
            ).map { try $0.decode("id", as: Int64.self) }
        }
        // Lock what is still there and still in the selected state; a row a runner holds locked right now is
        // skipped, not waited for.
        let locked = try await connection.query(
            """
            SELECT id, status, in_doubt, attempts,
                   coalesce(status = 'claimed' AND lease_expires_at > now(), false) AS lease_live,
                   next_attempt_at <= now() AS due
            FROM session_queue
            WHERE id = ANY($1::bigint[])
              AND ($2 OR status = ANY($3::text[]) OR ($4 AND \(QueueRowState.inDoubtCondition)))
            ORDER BY id
            FOR UPDATE SKIP LOCKED
            """, [candidates, byID, filter.statuses, filter.inDoubt])
        var changes = ChangeColumns()
        var seen = Set<Int64>()
        for row in locked {
            let id: Int64 = try row.decode("id")
            seen.insert(id)
            let current = QueueRowTransition.Row(
                status: try status(row), inDoubt: try row.decode("in_doubt"), leaseIsLive: try row.decode("lease_live"),
                isDue: try row.decode("due"))
            switch QueueRowTransition.decide(operation.action, for: current) {
            case .skip(let reason):
                skipped.append(QueueOperationResult.Skip(id: id, status: current.status, reason: reason))
            case .change(let target, let inDoubt):
                changes.append(
                    .init(id: id, from: current.status, to: target, wasInDoubt: current.inDoubt, inDoubt: inDoubt),
                    attempts: try row.decode("attempts"), operation: operation)
            }
        }
        skipped += candidates.filter { !seen.contains($0) }.map {
            QueueOperationResult.Skip(id: $0, status: nil, reason: .busy)
        }
        let databaseUser: String = try await connection.query("SELECT current_user AS name")[0].decode("name")
        if !operation.dryRun && !changes.changes.isEmpty {
            try await connection.execute(ChangeColumns.statement, changes.parameters(operation: operation))
        }
        return QueueOperationResult(
            action: operation.action, dryRun: operation.dryRun, actor: operation.actor, databaseUser: databaseUser,
            changed: changes.changes, skipped: skipped.sorted { $0.id < $1.id })
    }

    /// A listed row (the columns of ``rows(in:since:limit:)`` and ``page(in:after:limit:)``).
    static func summary(_ row: PostgresRow) throws -> QueueRowSummary {
        QueueRowSummary(
            id: try row.decode("id"), status: try status(row), inDoubt: try row.decode("in_doubt"),
            attempts: try row.decode("attempts"), lastError: try row.decode("last_error"),
            lastErrorCode: try row.decode("last_error_code"), nextAttemptAt: try row.decode("next_attempt_at"),
            vendorData: try row.decode("vendor_data"), updatedAt: try row.decode("updated_at"),
            claimedBy: try row.decode("claimed_by"), leaseExpiresAt: try row.decode("lease_expires_at"))
    }

    private static func status(_ row: PostgresRow) throws -> QueueRowStatus {
        let text: String = try row.decode("status")
        guard let status = QueueRowStatus(rawValue: text) else {
            throw PostgresError.decodingFailed("unknown queue row status \"\(text)\": upgrade provisioner")
        }
        return status
    }
}

/// Row states as the statements' parameters: statuses, and whether in-doubt rows are wanted too.
private struct StateFilter {
    var statuses: [String] = []
    var inDoubt = false

    init(_ states: [QueueRowState]) {
        for state in states {
            switch state {
            case .status(let status): statuses.append(status.rawValue)
            case .inDoubt: inDoubt = true
            }
        }
    }
}

/// The column arrays of one operator change: the rows' new states and their lines in the attempts log.
private struct ChangeColumns {
    /// Updates the rows and logs each change, with the database role (`current_user`) and the caller's actor.
    static let statement = """
        WITH c AS (
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::bool[], $4::text[], $5::int[], $6::text[])
                AS c(id, status, in_doubt, previous_status, attempts, message)
        ), updated AS (
            UPDATE session_queue q SET
                status = c.status, in_doubt = c.in_doubt, claimed_by = NULL, lease_expires_at = NULL,
                next_attempt_at = CASE WHEN c.status = 'pending' THEN now() ELSE q.next_attempt_at END,
                attempts = CASE WHEN c.status = 'pending' THEN 0 ELSE q.attempts END
            FROM c WHERE q.id = c.id
            RETURNING q.id
        )
        INSERT INTO session_attempts (queue_id, attempt, started_at, outcome, message, actor, database_user,
                                      previous_status)
        SELECT c.id, c.attempts, now(), $7::text, c.message, $8::text, current_user, c.previous_status
        FROM c JOIN updated u ON u.id = c.id
        """

    var changes: [QueueOperationResult.Change] = []
    var attempts: [Int] = []
    var messages: [String] = []

    mutating func append(_ change: QueueOperationResult.Change, attempts: Int, operation: QueueOperation) {
        changes.append(change)
        self.attempts.append(attempts)
        var message =
            "\(operation.action.rawValue) by \(operation.actor): \(change.from.rawValue) → \(change.to.rawValue)"
        if change.wasInDoubt && !change.inDoubt { message += ", in doubt cleared" }
        if !change.wasInDoubt && change.inDoubt { message += ", marked in doubt (its runner stopped holding it)" }
        if let reason = operation.reason, !reason.isEmpty { message += ": \(reason)" }
        messages.append(message)
    }

    func parameters(operation: QueueOperation) -> [any PostgresEncodable] {
        [
            changes.map(\.id), changes.map(\.to.rawValue), changes.map(\.inDoubt), changes.map(\.from.rawValue),
            attempts, messages, operation.action.pastTense, operation.actor,
        ]
    }
}
