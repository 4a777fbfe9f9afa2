import Foundation
import Logging
import Postgres
import SafeFiles
import SessionQueue
import Support

/// Draws one QR code per provisioned, unexpired session into a directory, with an `index.html` sheet to print.
///
/// Every file is written atomically with mode 0600 (the codes are live verification links) into a directory
/// created with mode 0700; an existing directory that another user owns or that its group or everyone can write to
/// is refused. Rows are read in batches, so any number of sessions takes constant memory.
public struct QRSheetWriter: Sendable {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Writes the images and `index.html` into `directory` (created if missing).
    /// - Returns: How many codes were written, and where the sheet is.
    /// - Throws: ``OutputFileError`` (also for a directory others can write to), ``QRCodeError`` (a url too long for a QR code), ``PostgresError``.
    public func write(to directory: String, options: QROptions, connection: PostgresConnection) async throws
        -> QRReport
    {
        try Self.makeDirectory(directory)
        let indexPath = directory + "/index.html"
        let sheet = try AtomicFile(path: indexPath)
        try sheet.write(QRSheetHTML.header)
        let since = options.since?.start(now: Date())
        var lastID: Int64 = 0
        var count = 0
        while true {
            let sessions = try await ProvisionedSessions.livePage(
                on: connection, after: lastID, limit: options.batchSize, since: since)
            guard let last = sessions.last else { break }
            lastID = last.id
            for session in sessions {
                let entry = QRSheetEntry(session)
                let code = try QRCode(encoding: entry.url)
                let ext = options.format.rawValue
                let name = QRFileName.make(id: entry.id, label: entry.label, extension: ext)
                let image = try AtomicFile(path: directory + "/" + name)
                switch options.format {
                case .svg: try image.write(code.svg())
                case .png: try image.write(bytes: code.png())
                }
                try image.commit()
                try sheet.write(QRSheetHTML.card(entry, imageName: name))
                count += 1
            }
        }
        try sheet.write(QRSheetHTML.footer(count: count))
        try sheet.commit()
        logger.info(
            "wrote QR codes", metadata: ["qr.count": .stringConvertible(count), "qr.directory": "\(directory)"])
        return QRReport(codes: count, indexPath: indexPath)
    }

    /// Creates the directory (mode 0700), or checks that an existing one is private (see ``PrivateDirectory``).
    static func makeDirectory(_ path: String) throws {
        try PrivateDirectory.prepare(path)
    }
}

/// One session on the sheet.
struct QRSheetEntry {
    var id: Int64
    var name: String
    var label: String?
    var url: String
    var expires: String?

    init(_ session: ProvisionedSessions.Live) {
        id = session.id
        url = session.sessionURL
        expires = session.expires
        let fullName = [session.firstName, session.lastName].compactMap { $0 }.joined(separator: " ")
        label = fullName.isEmpty ? session.vendorData : fullName
        name = label ?? "Row \(id)"
    }
}
