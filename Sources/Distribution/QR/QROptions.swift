/// The image formats `qr` writes.
public enum QRImageFormat: String, Sendable, CaseIterable {
    /// Vector, crisp in print.
    case svg
    /// Black and white bitmap, 8 pixels per module.
    case png
}

/// Which sessions `qr` draws, and how.
public struct QROptions: Sendable {
    /// The image format. Defaults to SVG.
    public var format: QRImageFormat = .svg
    /// Only sessions provisioned since then. Defaults to `nil`: every provisioned, unexpired session.
    public var since: QRSince?
    /// Rows read per query. Defaults to 500.
    public var batchSize = 500

    public init(format: QRImageFormat = .svg, since: QRSince? = nil) {
        self.format = format
        self.since = since
    }
}

/// What `qr` wrote.
public struct QRReport: Sendable, Hashable {
    /// Images written (one per session).
    public var codes: Int
    /// The print sheet.
    public var indexPath: String
}
