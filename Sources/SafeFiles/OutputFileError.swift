/// An output file (export, rejects, QR codes, the print sheet, metrics) could not be written; nothing partial is left.
public struct OutputFileError: Error, Sendable, CustomStringConvertible {
    /// The file or directory concerned.
    public let path: String
    /// The system's reason.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }
}
