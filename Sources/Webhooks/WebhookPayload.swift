import Crypto
import Foundation
import SessionQueue

/// Reads a webhook body into a ``LifecycleEvent``: ids, codes, status, times — and nothing else.
///
/// Lenient as Veriff asks: unknown fields are ignored, codes may be numbers or strings, times may have fractional
/// seconds or not. The person, document and technical data of decision webhooks are never read.
public enum WebhookPayload {
    /// Longest id or vendorData kept (vendorData is at most 1,000 characters at Veriff).
    static let maximumIDLength = 1000
    /// Longest status/action text kept.
    static let maximumStatusLength = 100
    /// Longest reason text kept.
    static let maximumReasonLength = 500

    /// Parses a body. Never fails: a body that is not a readable webhook comes back with
    /// ``LifecycleEvent/unparseableReason`` set, to be recorded and acknowledged.
    ///
    /// - Parameters:
    ///   - kind: Which endpoint received it.
    ///   - body: The raw bytes.
    /// - Returns: The event, with the body's SHA-256.
    public static func parse(kind: LifecycleEvent.Kind, body: some Collection<UInt8>) -> LifecycleEvent {
        let bytes = Array(body)
        var event = LifecycleEvent(kind: kind, bodySHA256: sha256Hex(bytes))
        guard nestingDepth(bytes) <= maximumNesting,
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        else {
            event.unparseableReason = "the body is not a JSON object"
            return event
        }
        switch kind {
        case .decision:
            guard let verification = object["verification"] as? [String: Any] else {
                event.unparseableReason = "no verification object"
                return event
            }
            event.sessionID = text(verification["id"], limit: maximumIDLength)
            event.attemptID = text(verification["attemptId"], limit: maximumIDLength)
            event.vendorData = text(verification["vendorData"], limit: maximumIDLength)
            event.code = integer(verification["code"])
            event.statusText = text(verification["status"], limit: maximumStatusLength)
            event.reasonCode = integer(verification["reasonCode"])
            event.reason = text(verification["reason"], limit: maximumReasonLength)
            event.occurredAt = date(verification["decisionTime"]) ?? date(verification["acceptanceTime"])
        case .event:
            event.sessionID = text(object["id"], limit: maximumIDLength)
            event.attemptID = text(object["attemptId"], limit: maximumIDLength)
            event.vendorData = text(object["vendorData"], limit: maximumIDLength)
            event.code = integer(object["code"])
            event.statusText = text(object["action"], limit: maximumStatusLength)
            event.occurredAt = date(object["acceptanceTime"]) ?? date(object["time"]) ?? date(object["createdAt"])
        }
        event.status = SessionStatus.reported(name: event.statusText, code: event.code)
        if event.sessionID == nil && event.vendorData == nil {
            event.unparseableReason = "neither a session id nor vendorData"
        }
        return event
    }

    /// The deepest nesting of arrays and objects read (Veriff's bodies need 4); deeper bodies are not parsed at all.
    static let maximumNesting = 64

    /// How deeply arrays and objects nest in `bytes` (brackets inside strings do not count): checked before
    /// parsing, so no body can make the parser recurse without bound.
    static func nestingDepth(_ bytes: [UInt8]) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Lowercase hex SHA-256.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A string or number as text; empty strings and over-long values are `nil` (never truncated: a cut id would
    /// match the wrong row).
    static func text(_ value: Any?, limit: Int) -> String? {
        let result: String
        switch value {
        case let string as String: result = string
        case let number as NSNumber: result = number.stringValue
        default: return nil
        }
        guard !result.isEmpty, result.count <= limit else { return nil }
        return result
    }

    /// A number or a string of digits as an integer.
    static func integer(_ value: Any?) -> Int? {
        switch value {
        case let number as NSNumber:
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 1e15 else { return nil }
            return Int(double)
        case let string as String:
            return Int(string.trimmingCharacters(in: .whitespaces))
        default:
            return nil
        }
    }

    /// An ISO 8601 time, with or without fractional seconds.
    static func date(_ value: Any?) -> Date? {
        guard let string = value as? String, !string.isEmpty else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: string) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: string)
    }
}
