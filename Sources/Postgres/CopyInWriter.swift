/// Buffers COPY data and sends it to the server in large chunks (one queue hop per chunk, not per row).
public final class CopyInWriter {
    private let connection: PostgresConnection
    private var buffer: [UInt8] = []
    /// Bytes buffered before a chunk is sent.
    static let chunkSize = 256 * 1024

    init(connection: PostgresConnection) {
        self.connection = connection
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    /// Appends text (one or more complete or partial rows in the COPY format the statement named).
    /// - Throws: ``PostgresError/containsNUL(_:statement:)`` for text with a NUL byte (COPY's text format cannot
    ///   carry one: nothing of it is sent), or ``PostgresError`` when sending a full chunk fails.
    public func write(_ text: String) async throws {
        if text.utf8.contains(0) { throw PostgresError.containsNUL("COPY data", statement: "COPY data") }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.chunkSize { try await flush() }
    }

    /// Appends raw bytes.
    /// - Throws: ``PostgresError`` when sending a full chunk fails.
    public func write(_ bytes: some Sequence<UInt8>) async throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunkSize { try await flush() }
    }

    /// Sends what is buffered.
    func flush() async throws {
        guard !buffer.isEmpty else { return }
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        try await connection.sendCopyData(chunk)
    }
}

/// Escapes values for COPY's text format.
public enum CopyText {
    /// One COPY text-format row: values tab-separated, `\N` for NULL, backslash, tab, newline and CR escaped.
    public static func row(_ values: [String?]) -> String {
        var line = ""
        for (index, value) in values.enumerated() {
            if index > 0 { line += "\t" }
            guard let value else {
                line += "\\N"
                continue
            }
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\\": line += "\\\\"
                case "\t": line += "\\t"
                case "\n": line += "\\n"
                case "\r": line += "\\r"
                default: line.unicodeScalars.append(scalar)
                }
            }
        }
        return line + "\n"
    }
}
