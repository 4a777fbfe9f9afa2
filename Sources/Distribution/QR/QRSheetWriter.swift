import Logging
import Postgres
import SafeFiles

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
        var lastID: Int64 = 0
        var count = 0
        while true {
            let rows = try await connection.query(Self.statement(options.since), Self.parameters(lastID, options))
            guard let last = rows.last else { break }
            lastID = try last.decode("id")
            for row in rows {
                let entry = try QRSheetEntry(row: row)
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
        logger.info("wrote QR codes", metadata: ["qr.count": "\(count)", "qr.directory": "\(directory)"])
        return QRReport(codes: count, indexPath: indexPath)
    }

    static func statement(_ since: QRSince?) -> String {
        let window =
            switch since {
            case nil: ""
            case .instant: "AND provisioned_at >= $3"
            case .within: "AND provisioned_at >= now() - make_interval(secs => $3)"
            }
        return """
            SELECT id, first_name, last_name, vendor_data, session_url,
                   to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') AS expires
            FROM session_queue
            WHERE status = 'provisioned' AND session_url IS NOT NULL AND (expires_at IS NULL OR expires_at > now())
              AND id > $1 \(window)
            ORDER BY id LIMIT $2
            """
    }

    static func parameters(_ lastID: Int64, _ options: QROptions) -> [any PostgresEncodable] {
        switch options.since {
        case nil: [lastID, options.batchSize]
        case .instant(let date): [lastID, options.batchSize, date]
        case .within(let duration): [lastID, options.batchSize, Double(duration.components.seconds)]
        }
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

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        url = try row.decode("session_url")
        expires = try row.decode("expires", as: String?.self)
        let first = try row.decode("first_name", as: String?.self)
        let last = try row.decode("last_name", as: String?.self)
        let vendorData = try row.decode("vendor_data", as: String?.self)
        let fullName = [first, last].compactMap { $0 }.joined(separator: " ")
        label = fullName.isEmpty ? vendorData : fullName
        name = label ?? "Row \(id)"
    }
}
