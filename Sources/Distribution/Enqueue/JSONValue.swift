import Support

extension JSONValue {
    /// Parses one JSON text with the strict parser; the failure says what is wrong, for a row problem.
    static func parseField(_ bytes: [UInt8]) -> Result<JSONValue, ProblemMessage> {
        do {
            return .success(try JSONParser.parse(bytes))
        } catch {
            let message =
                switch error {
                case .syntax: "is not valid JSON (\(error))"
                case .duplicateKey(let key): "has the key \(JSONText.quoted(String(key.prefix(60)))) twice"
                case .tooDeep(let limit): "is nested more than \(limit) levels deep"
                case .invalidUTF8: "is not valid UTF-8"
                case .numberOutOfRange: "has a number out of range"
                }
            return .failure(ProblemMessage(message))
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
