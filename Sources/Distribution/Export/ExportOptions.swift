/// What `export` hands out and how.
public struct ExportOptions: Sendable {
    /// The file format. Defaults to CSV.
    public var format: ExportFormat = .csv
    /// Re-export every provisioned row, exported before or not. Defaults to false: only rows never exported.
    public var all = false
    /// Include the session token (a credential for the session). Defaults to false.
    public var includeToken = false
    /// Rows read and marked per statement. Defaults to 1,000.
    public var batchSize = 1000

    public init(format: ExportFormat = .csv, all: Bool = false, includeToken: Bool = false) {
        self.format = format
        self.all = all
        self.includeToken = includeToken
    }
}

/// What `export` wrote.
public struct ExportReport: Sendable, Hashable {
    /// Rows written (and marked exported).
    public var rows: Int
    /// The file written.
    public var path: String
}
