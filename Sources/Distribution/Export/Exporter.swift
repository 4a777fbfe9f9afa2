import Logging
import Postgres
import SafeFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands provisioned sessions to the email step: writes them to a file and marks them exported, atomically.
///
/// The rows are read and marked in the same transaction (`FOR UPDATE SKIP LOCKED`, so two exports at once get
/// disjoint rows); the file is written under a temporary name, renamed into place, and only then is the transaction
/// committed. A failed write rolls the marks back; a failed commit removes the file. Either way nothing is handed out
/// twice and nothing is lost.
public struct Exporter: Sendable {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The columns, in order (plus `session_token` with ``ExportOptions/includeToken``).
    public static let columns = [
        "email", "first_name", "last_name", "vendor_data", "session_url", "expires_at", "session_id",
    ]

    /// Writes the rows to `path` (mode 0600) and marks them exported.
    /// - Returns: How many rows were written.
    /// - Throws: ``OutputFileError`` (nothing marked), ``PostgresError``.
    public func export(to path: String, options: ExportOptions, connection: PostgresConnection) async throws
        -> ExportReport
    {
        let columns = Self.columns + (options.includeToken ? ["session_token"] : [])
        let file = try AtomicFile(path: path)
        var renamed = false
        var count = 0
        do {
            try await connection.transaction { connection in
                if options.format == .csv { try file.write(CSVRow.format(columns)) }
                var lastID: Int64 = 0
                while true {
                    let rows = try await connection.query(
                        Self.batchStatement(all: options.all), [lastID, options.batchSize]
                    ).sorted { try $0.decode("id", as: Int64.self) < $1.decode("id", as: Int64.self) }
                    guard let last = rows.last else { break }
                    lastID = try last.decode("id")
                    for row in rows {
                        let values = try columns.map { try row.decode($0, as: String?.self) }
                        switch options.format {
                        case .csv: try file.write(CSVRow.format(values, protectingFormulas: true))
                        case .jsonl: try file.write(JSONText.object(Array(zip(columns, values))) + "\n")
                        }
                    }
                    count += rows.count
                }
                try file.commit()
                renamed = true
            }
        } catch {
            if renamed { unlink(path) } else { file.discard() }
            throw error
        }
        logger.info("exported sessions", metadata: ["export.rows": "\(count)", "export.file": "\(path)"])
        return ExportReport(rows: count, path: path)
    }

    /// Marks the next batch exported and returns it.
    static func batchStatement(all: Bool) -> String {
        """
        WITH picked AS (
            SELECT id FROM session_queue
            WHERE status = 'provisioned' \(all ? "" : "AND exported_at IS NULL") AND id > $1
            ORDER BY id LIMIT $2
            FOR UPDATE \(all ? "" : "SKIP LOCKED")
        )
        UPDATE session_queue q SET exported_at = now()
        FROM picked WHERE q.id = picked.id
        RETURNING q.id, q.email, q.first_name, q.last_name, q.vendor_data, q.session_url,
                  to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at,
                  q.session_id, q.session_token
        """
    }
}
