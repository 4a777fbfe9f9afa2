import ArgumentParser
import Distribution
import Foundation
import Logging

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
    var format: InputFormat?

    @Flag(name: .customLong("skip-invalid"), help: "Import the valid rows; write the invalid ones to the rejects file.")
    var skipInvalid = false

    @Option(
        help: ArgumentHelp("Where --skip-invalid writes refused rows (default: FILE.rejects.csv).", valueName: "path"))
    var rejects: String?

    @Flag(name: .customLong("dry-run"), help: "Validate the whole file and report; write nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var options = EnqueueOptions(skipInvalid: skipInvalid, dryRun: dryRun, rejectsPath: rejects)
        options.format = format
        let logger = logging.makeLogger(label: "provisioner.enqueue", defaultLevel: .warning)
        let report = try await database.withConnection(logger: logger) { connection in
            try await Enqueuer(logger: logger).enqueue(file: file, options: options, connection: connection)
        }
        for problem in report.problems { ErrorOutput.write(problem.description) }
        if report.problemCount > report.problems.count {
            ErrorOutput.write("... and \(report.problemCount - report.problems.count) more problems")
        }
        var summary = report.description
        if dryRun {
            summary = "dry run, nothing written: " + summary
        } else if !report.committed {
            summary = "nothing imported (\(report.invalid) invalid rows; fix them or use --skip-invalid): " + summary
        }
        if let path = report.rejectsPath { summary += "; rejected rows written to \(path)" }
        print(json ? try JSONOutput.text(CommandReports.Enqueue(file: file, dryRun: dryRun, report: report)) : summary)
        if report.invalid > 0 { throw ExitStatus.rowsFailed }
    }
}
