import Logging
import Postgres
import VeriffAPI

/// Imports end-users from a CSV or JSONL file into `session_queue`, in one pass and constant memory.
///
/// Rows are read, normalised and validated one at a time and streamed with COPY into a temporary table inside one
/// transaction; at the end they are inserted into the queue in one statement that skips end-users already queued
/// (by endUserId, else vendorData, else a fingerprint of all fields) and repeats within the file. Concurrent imports
/// are serialised by a transaction-level advisory lock, so the same file imported twice at once still adds each
/// end-user once.
public struct Enqueuer: Sendable {
    private let logger: Logger

    /// The key of the advisory lock held while checking for and inserting duplicates.
    static let advisoryLockKey: Int64 = 0x656e_7175_6575_6531  // "enqueue1"

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Reads, validates and (unless told otherwise) imports one file.
    /// - Parameters:
    ///   - path: The CSV or JSONL file.
    ///   - options: Format, `skipInvalid`, `dryRun`, the rejects file.
    ///   - connection: The queue's database; the import is one transaction on it.
    /// - Returns: The counts and the first problems. Without `skipInvalid`, any invalid row means `committed` is
    ///   false and nothing was written.
    /// - Throws: ``EnqueueError`` for a file that cannot be read or has a bad header, ``OutputFileError`` when the
    ///   rejects file cannot be written, ``PostgresError`` for database failures (nothing is imported then).
    public func enqueue(file path: String, options: EnqueueOptions, connection: PostgresConnection) async throws
        -> EnqueueReport
    {
        guard let format = options.format ?? InputFormat(path: path) else { throw EnqueueError.unknownFormat(path) }
        let file = try InputFile(path: path)
        let source: any EndUserSource =
            switch format {
            case .csv: try CSVEndUserSource(file: file, maxRecordBytes: options.maxRecordBytes)
            case .jsonl: JSONLEndUserSource(file: file, maxLineBytes: options.maxRecordBytes)
            }
        let writesRejects = options.skipInvalid && !options.dryRun
        let rejects =
            writesRejects ? RejectsWriter(path: options.rejectsPath(for: path), header: source.rejectsHeader) : nil
        var report = EnqueueReport()
        do {
            try await connection.transaction { connection in
                try await stage(source, options: options, rejects: rejects, report: &report, connection: connection)
                if report.invalid > 0 && !options.skipInvalid && !options.dryRun { throw Rollback() }
                try await connection.execute("SELECT pg_advisory_xact_lock($1)", [Self.advisoryLockKey])
                let counts = try await connection.query(Self.insertStatement)
                let distinct: Int = try counts[0].decode("distinct_rows")
                report.enqueued = try counts[0].decode("inserted")
                report.duplicatesInFile = report.valid - distinct
                report.alreadyQueued = distinct - report.enqueued
                if options.dryRun { throw Rollback() }
            }
            report.committed = true
        } catch is Rollback {
            report.committed = false
        } catch {
            rejects?.discard()
            throw error
        }
        if let rejects {
            if report.committed && report.invalid > 0 {
                try rejects.commit()
                report.rejectsPath = rejects.path
            } else {
                rejects.discard()
            }
        }
        logger.info(
            "enqueue finished",
            metadata: [
                "enqueue.file": "\(path)", "enqueue.read": "\(report.rowsRead)",
                "enqueue.inserted": "\(report.enqueued)",
                "enqueue.invalid": "\(report.invalid)", "enqueue.committed": "\(report.committed)",
            ])
        return report
    }

    /// Reads every row, streams the valid ones into the staging table and records the problems of the others.
    private func stage(
        _ source: any EndUserSource, options: EnqueueOptions, rejects: RejectsWriter?, report: inout EnqueueReport,
        connection: PostgresConnection
    ) async throws {
        try await connection.execute(Self.createStaging)
        try await connection.copyIn(Self.copyStatement) { writer in
            while let row = try source.next() {
                report.rowsRead += 1
                if let user = row.user {
                    report.valid += 1
                    // Once a strict import has a bad row nothing will be written: only validate the rest.
                    if report.invalid == 0 || options.skipInvalid || options.dryRun {
                        try await writer.write(Self.copyRow(user, line: row.line))
                    }
                    continue
                }
                report.invalid += 1
                report.problemCount += row.problems.count
                for problem in row.problems where report.problems.count < options.reportedProblemLimit {
                    report.problems.append(problem)
                }
                try rejects?.write(row)
            }
        }
    }

    /// One staging row in COPY text format.
    static func copyRow(_ user: EndUser, line: Int) -> String {
        CopyText.row([
            String(line), user.firstName, user.lastName, user.idNumber, user.dateOfBirth, user.gender, user.email,
            user.phoneNumber, user.documentNumber, user.documentType, user.documentCountry, user.fullAddress,
            user.vendorData, user.endUserId, user.callback, user.consents.map(Consent.json),
        ])
    }

    private static let fieldColumns = """
        first_name, last_name, id_number, date_of_birth, gender, email, phone_number, document_number, document_type, \
        document_country, full_address, vendor_data, end_user_id, callback_url, consents
        """

    static let createStaging = """
        CREATE TEMPORARY TABLE enqueue_staging (
            line bigint NOT NULL, first_name text, last_name text, id_number text, date_of_birth date, gender text,
            email text, phone_number text, document_number text, document_type text, document_country text,
            full_address text, vendor_data text, end_user_id uuid, callback_url text, consents jsonb
        ) ON COMMIT DROP
        """

    static let copyStatement = "COPY enqueue_staging (line, \(fieldColumns)) FROM STDIN"

    /// Inserts the staged rows that are new, first occurrence in the file wins; returns the counts.
    ///
    /// The de-duplication key is endUserId, else vendorData, else the md5 of all fields (stored in
    /// `enqueue_fingerprint` for such rows so the next import finds them).
    static let insertStatement = """
        WITH keyed AS (
            SELECT s.*,
                   CASE WHEN s.end_user_id IS NULL AND s.vendor_data IS NULL
                        THEN md5(ROW(\(fieldColumns))::text) END AS fingerprint,
                   CASE WHEN s.end_user_id IS NOT NULL THEN 'u:' || s.end_user_id::text
                        WHEN s.vendor_data IS NOT NULL THEN 'v:' || s.vendor_data
                        ELSE 'f:' || md5(ROW(\(fieldColumns))::text) END AS dedupe_key
            FROM enqueue_staging s
        ), first_seen AS (
            SELECT DISTINCT ON (dedupe_key) * FROM keyed ORDER BY dedupe_key, line
        ), fresh AS (
            SELECT * FROM first_seen f
            WHERE NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.end_user_id = f.end_user_id)
              AND (f.end_user_id IS NOT NULL
                   OR NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.vendor_data = f.vendor_data))
              AND (f.fingerprint IS NULL
                   OR NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.enqueue_fingerprint = f.fingerprint))
        ), inserted AS (
            INSERT INTO session_queue (\(fieldColumns), enqueue_fingerprint)
            SELECT \(fieldColumns), fingerprint FROM fresh ORDER BY line
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM first_seen)::bigint AS distinct_rows,
               (SELECT count(*) FROM inserted)::bigint AS inserted
        """

    /// Thrown inside the transaction to roll it back while keeping the report.
    private struct Rollback: Error {}
}
