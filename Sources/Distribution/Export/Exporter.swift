import Logging
import Postgres
import SafeFiles
import SessionQueue
import Support

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
                    let sessions = try await ProvisionedSessions.markExportedBatch(
                        on: connection, after: lastID, limit: options.batchSize, all: options.all)
                    guard let last = sessions.last else { break }
                    lastID = last.id
                    for session in sessions {
                        let values = columns.map { Self.value(of: session, column: $0) }
                        switch options.format {
                        case .csv: try file.write(CSVRow.format(values, protectingFormulas: true))
                        case .jsonl: try file.write(JSONText.object(Array(zip(columns, values))) + "\n")
                        }
                    }
                    count += sessions.count
                }
                try file.commit()
                renamed = true
            }
        } catch {
            if renamed { unlink(path) } else { file.discard() }
            throw error
        }
        logger.info(
            "exported sessions", metadata: ["export.rows": .stringConvertible(count), "export.file": "\(path)"])
        return ExportReport(rows: count, path: path)
    }

    /// One column of an exported session, by its name in ``columns``.
    static func value(of session: ProvisionedSessions.Exported, column: String) -> String? {
        switch column {
        case "email": session.email
        case "first_name": session.firstName
        case "last_name": session.lastName
        case "vendor_data": session.vendorData
        case "session_url": session.sessionURL
        case "expires_at": session.expiresAt
        case "session_id": session.sessionID
        case "session_token": session.sessionToken
        default: nil
        }
    }
}
