import Distribution
import Foundation
import Logging
import Support
import Synchronization

/// A swift-log handler that writes one line per message to standard error, as JSON or as plain text.
struct StderrLogHandler: LogHandler {
    /// How lines are written.
    enum Format: Sendable {
        /// `{"timestamp":...,"level":...,"label":...,"message":...,"metadata.key":...}`, one object per line.
        /// Metadata given as numbers or booleans (`.stringConvertible(42)`) are JSON numbers and booleans, strings
        /// (`"\(x)"`) are JSON strings, arrays and dictionaries are JSON arrays and objects.
        case json
        /// `2025-01-01T00:00:00.000Z info provisioner.run: message key=value`.
        case text
    }

    /// Serialises writes, so lines of concurrent tasks never interleave.
    private static let lock = Mutex(())

    let label: String
    let format: Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, format: Format) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let timestamp = Self.timestamp()
        let line: String
        switch format {
        case .json:
            line = Self.jsonLine(
                timestamp: timestamp, level: event.level, label: label, message: "\(event.message)", metadata: merged)
        case .text:
            let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(timestamp) \(event.level) \(label): \(event.message)" + (pairs.isEmpty ? "" : " " + pairs)
        }
        let bytes = Array((line + "\n").utf8)
        Self.lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 {
                        if written < 0 && errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }

    /// One JSON object; metadata keys are kept as they are (dotted); values as ``jsonValue(_:)`` writes them.
    static func jsonLine(
        timestamp: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var fields = [
            "\"timestamp\":\(jsonString(timestamp))", "\"level\":\(jsonString(level.rawValue))",
            "\"label\":\(jsonString(label))", "\"message\":\(jsonString(message))",
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append("\(jsonString(key)):\(jsonValue(value))")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A metadata value as JSON: a number or boolean given as one (`.stringConvertible(42)`, `.stringConvertible(0.5)`,
    /// `.stringConvertible(true)`) unquoted, anything else as a string; arrays and dictionaries as arrays and objects.
    /// Non-finite numbers are strings (`"inf"`), JSON has no other way to say them.
    static func jsonValue(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text):
            return jsonString(text)
        case .stringConvertible(let convertible):
            switch convertible {
            case let flag as Bool: return flag ? "true" : "false"
            case let integer as any BinaryInteger: return "\(integer)"
            case let number as Double where number.isFinite: return "\(number)"
            case let number as Float where number.isFinite: return "\(number)"
            default: return jsonString(convertible.description)
            }
        case .array(let values):
            return "[" + values.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let values):
            let pairs = values.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonValue($0.value))" }
            return "{" + pairs.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (the same escaping as the JSONL export).
    static func jsonString(_ text: String) -> String { JSONText.quoted(text) }

    /// UTC, ISO 8601 with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let milliText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(milliText)Z"
    }
}
