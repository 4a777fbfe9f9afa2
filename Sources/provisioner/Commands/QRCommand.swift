import ArgumentParser
import Distribution
import Logging
import Support

/// `provisioner qr --out DIR`: one QR code per session url, and a sheet to print.
struct QRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Draw a QR code per provisioned, unexpired session into DIR, with an index.html sheet to print.",
        discussion: """
            Files are named after the row id and the end-user's name (letters, digits and dashes only) and written \
            with mode 0600 in a directory created with mode 0700: the codes are live verification links.
            """
    )

    @Option(help: ArgumentHelp("The directory to write into (created if missing).", valueName: "dir"))
    var out: String

    @Option(help: "svg (vector, for print) or png.")
    var format: QRImageFormat = .svg

    @Option(
        help: ArgumentHelp(
            "Only sessions provisioned since: an ISO 8601 date or date-time, or a duration such as 24h or 7d (at most "
                + "3660d).", valueName: "when"))
    var since: String?

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let since, QRSince(since) == nil {
            throw ValidationError("--since must be \(SinceText.syntax), not \"\(since)\"")
        }
    }

    func run() async throws {
        let options = QROptions(format: format, since: since.flatMap(QRSince.init))
        let logger = logging.makeLogger(label: "provisioner.qr", defaultLevel: .warning)
        let report = try await database.withConnection(logger: logger) { connection in
            try await QRSheetWriter(logger: logger).write(to: out, options: options, connection: connection)
        }
        if json {
            print(
                try JSONOutput.text(
                    CommandReports.QR(
                        directory: out, format: format.rawValue, codes: report.codes, indexPath: report.indexPath)))
        } else {
            print("wrote \(report.codes) QR code\(report.codes == 1 ? "" : "s"); print \(report.indexPath)")
        }
    }
}
