import Foundation

/// The JSON that `--json` prints: sorted keys, ISO 8601 dates, one document per command.
enum JSONOutput {
    /// `value` as one JSON text.
    /// - Throws: An encoding error (not expected for the project's report types).
    static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
