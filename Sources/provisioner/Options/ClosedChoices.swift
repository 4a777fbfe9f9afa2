import ArgumentParser
import Distribution

/// Where the send-rate limiter keeps its state (`run --limiter`).
enum LimiterMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// One budget for every runner on this database (the default).
    case shared
    /// This process only (tests and benchmarks).
    case local
}

// The file formats of enqueue, export and qr, typed in any case (`--format CSV`).

extension InputFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension ExportFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension QRImageFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
