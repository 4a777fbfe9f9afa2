import Foundation

/// A parsed JSON value, keeping the difference between numbers, booleans and strings that JSONL typing needs.
enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses one JSON text.
    static func parse(_ bytes: [UInt8]) -> Result<JSONValue, ProblemMessage> {
        do {
            return .success(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)))
        } catch {
            return .failure(ProblemMessage("is not valid JSON"))
        }
    }

    /// What kind of value this is, for messages ("a number", "an object").
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as a field's text: strings as they are, numbers written out (a numeric idNumber is harmless),
    /// `null` as absent.
    /// - Returns: `.success(nil)` for null; a failure for booleans, arrays and objects.
    func fieldText() -> Result<String?, ProblemMessage> {
        switch self {
        case .null: .success(nil)
        case .string(let text): .success(text)
        case .integer(let number): .success(String(number))
        case .number(let number):
            .success(number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        case .bool, .array, .object: .failure(ProblemMessage("must be a string; got \(kind)"))
        }
    }
}

/// A reason a value was refused, as text for the operator.
struct ProblemMessage: Error, Sendable, Hashable {
    var message: String
    init(_ message: String) { self.message = message }
}
