import ArgumentParser
import Distribution
import Logging

/// `provisioner export --out FILE`: hands provisioned sessions to the email step.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write provisioned sessions not yet exported to a file (mode 0600) and mark them exported.",
        discussion: """
            Columns: email, first_name, last_name, vendor_data, session_url, expires_at, session_id (and \
            session_token with --include-token). Rows are marked exported in the transaction that reads them, so \
            two exports never hand out the same row and a failed write hands out nothing. CSV cells starting with \
            = + - @ are prefixed with ' so spreadsheets do not run them as formulas.
            """
    )

    @Option(help: ArgumentHelp("The file to write (replaced atomically).", valueName: "path"))
    var out: String

    @Option(help: "csv or jsonl.")
    var format: ExportFormat = .csv

    @Flag(help: "Re-export every provisioned session, exported before or not.")
    var all = false

    @Flag(name: .customLong("include-token"), help: "Include session tokens (credentials for the sessions).")
    var includeToken = false

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let options = ExportOptions(format: format, all: all, includeToken: includeToken)
        let logger = logging.makeLogger(label: "provisioner.export", defaultLevel: .warning)
        let report = try await database.withConnection(logger: logger) { connection in
            try await Exporter(logger: logger).export(to: out, options: options, connection: connection)
        }
        if json {
            print(
                try JSONOutput.text(
                    CommandReports.Export(
                        path: report.path, format: format.rawValue, rows: report.rows, includesTokens: includeToken,
                        all: all)))
        } else {
            print("exported \(report.rows) session\(report.rows == 1 ? "" : "s") to \(report.path)")
        }
    }
}
