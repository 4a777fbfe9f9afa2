import ArgumentParser
import Distribution
import Foundation
import Logging
import Postgres
import SafeFiles

/// `provisioner enqueue FILE`: validates a CSV or JSONL file of end-users and adds them to the queue.
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Add end-users from a CSV or JSONL file to the queue (all or nothing unless --skip-invalid).",
        discussion: """
            Columns (CSV header) or keys (JSONL) are Veriff's field names, camelCase or snake_case: firstName, \
            lastName, idNumber, dateOfBirth, gender, email, phoneNumber, documentNumber, documentType, \
            documentCountry, fullAddress, vendorData, endUserId, callback, consents (a JSON array). Every row is \
            validated first; end-users already queued (same endUserId, else vendorData, else same fields) are \
            skipped, so importing a file twice adds nothing the second time. The database is DATABASE_URL, or \
            libpq's PG* variables when it is unset. Exit status: 0 done, 1 some rows invalid, 64 bad file or \
            usage, 75 database unavailable.
            """
    )

    @Argument(help: "The CSV or JSONL file.")
    var file: String

    @Option(help: "csv or jsonl (default: from the file name: .csv, .jsonl, .ndjson).")
    var format: String?

    @Flag(name: .customLong("skip-invalid"), help: "Import the valid rows; write the invalid ones to the rejects file.")
    var skipInvalid = false

    @Option(
        help: ArgumentHelp("Where --skip-invalid writes refused rows (default: FILE.rejects.csv).", valueName: "path"))
    var rejects: String?

    @Flag(name: .customLong("dry-run"), help: "Validate the whole file and report; write nothing.")
    var dryRun = false

    func run() async throws {
        var options = EnqueueOptions(skipInvalid: skipInvalid, dryRun: dryRun, rejectsPath: rejects)
        if let format {
            guard let parsed = InputFormat(rawValue: format.lowercased()) else {
                throw ValidationError("--format must be csv or jsonl, not \"\(format)\"")
            }
            options.format = parsed
        }
        let logger = CommandSupport.logger("provisioner.enqueue")
        let report = try await CommandSupport.withDatabase(logger: logger) { connection in
            try await Enqueuer(logger: logger).enqueue(file: file, options: options, connection: connection)
        }
        for problem in report.problems { CommandSupport.printError(problem.description) }
        if report.problemCount > report.problems.count {
            CommandSupport.printError("... and \(report.problemCount - report.problems.count) more problems")
        }
        var summary = report.description
        if dryRun {
            summary = "dry run, nothing written: " + summary
        } else if !report.committed {
            summary = "nothing imported (\(report.invalid) invalid rows; fix them or use --skip-invalid): " + summary
        }
        if let path = report.rejectsPath { summary += "; rejected rows written to \(path)" }
        print(summary)
        if report.invalid > 0 { throw ExitStatus.rowsFailed }
    }
}

/// What the distribution commands share: the logger, the database connection and one-line errors.
enum CommandSupport {
    /// A logger that shows warnings and errors only (the commands print their own summaries).
    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    /// Connects to `DATABASE_URL` (or libpq's defaults), runs `body`, closes; turns errors into one line on
    /// standard error and the matching exit status.
    static func withDatabase<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let conninfo = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(conninfo, logger: logger)
        } catch let error as PostgresError {
            printError("cannot connect to PostgreSQL: \(error.message)")
            throw ExitStatus.databaseUnavailable
        }
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw exitStatus(for: error)
        }
    }

    /// Prints the error as one line and returns the exit status for it.
    static func exitStatus(for error: any Error) -> any Error {
        switch error {
        case let error as ExitCode:
            return error
        case let error as EnqueueError:
            printError(error.description)
            return ExitStatus.usage
        case let error as OutputFileError:
            printError(error.description)
            return ExitStatus.usage
        case let error as PostgresError where error.isConnectionProblem:
            printError("lost the connection to PostgreSQL: \(error.message)")
            return ExitStatus.databaseUnavailable
        case let error as PostgresError:
            printError("database error: \(error.message)\(error.sqlState.map { " (SQLSTATE \($0))" } ?? "")")
            return ExitCode.failure
        default:
            printError("\(error)")
            return ExitCode.failure
        }
    }

    /// Writes one line to standard error.
    static func printError(_ line: String) {
        FileHandle.standardError.write(
            Data((line.split(whereSeparator: \.isNewline).joined(separator: " ") + "\n").utf8))
    }
}
