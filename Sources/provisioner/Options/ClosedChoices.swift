import ArgumentParser
import Distribution
import SessionQueue

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

// The row states operators select by (`rows --status`, `requeue --status`): every status, and `in-doubt`.

extension QueueRowState: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }

    public static var allValueStrings: [String] { allCases.map(\.name) }
}
