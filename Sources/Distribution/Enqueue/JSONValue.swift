/// A parsed JSON value, keeping the difference between numbers, booleans and strings that JSONL typing needs.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses one JSON text (RFC 8259). An object that names a key twice is refused, as a CSV header that names a
    /// column twice is: which of the two values was meant cannot be told.
    static func parse(_ bytes: [UInt8]) -> Result<JSONValue, ProblemMessage> {
        var parser = JSONParser(bytes: bytes)
        do {
            return .success(try parser.document())
        } catch {
            return .failure(error)
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
