import Logging
import Postgres
import SessionQueue
import VeriffAPI

/// Imports end-users from a CSV or JSONL file into the queue, in one pass and constant memory.
///
/// Rows are read, normalised and validated one at a time and staged (``EndUserImport``) inside one transaction; at
/// the end the new ones are inserted, skipping end-users already queued and repeats within the file.
public struct Enqueuer: Sendable {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Reads, validates and (unless told otherwise) imports one file.
    /// - Parameters:
    ///   - path: The CSV or JSONL file.
    ///   - options: Format, `skipInvalid`, `dryRun`, the rejects file.
    ///   - connection: A connection to the queue's database; the import is one transaction on it.
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
                let counts = try await EndUserImport.insertStaged(on: connection)
                report.enqueued = counts.inserted
                report.duplicatesInFile = report.valid - counts.distinct
                report.alreadyQueued = counts.distinct - counts.inserted
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
                "enqueue.file": "\(path)", "enqueue.read": .stringConvertible(report.rowsRead),
                "enqueue.inserted": .stringConvertible(report.enqueued),
                "enqueue.invalid": .stringConvertible(report.invalid),
                "enqueue.committed": .stringConvertible(report.committed),
            ])
        return report
    }

    /// Reads every row, streams the valid ones into the staging table and records the problems of the others.
    private func stage(
        _ source: any EndUserSource, options: EnqueueOptions, rejects: RejectsWriter?, report: inout EnqueueReport,
        connection: PostgresConnection
    ) async throws {
        try await EndUserImport.stage(on: connection) { stager in
            while let row = try source.next() {
                report.rowsRead += 1
                if let user = row.user {
                    report.valid += 1
                    // Once a strict import has a bad row nothing will be written: only validate the rest.
                    if report.invalid == 0 || options.skipInvalid || options.dryRun {
                        try await stager.add(user, line: row.line)
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

    /// Thrown inside the transaction to roll it back while keeping the report.
    private struct Rollback: Error {}
}
