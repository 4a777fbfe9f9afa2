import Foundation

/// A Swift type that a column value (in PostgreSQL's text output format) can be decoded into.
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL value.
    /// - Throws: ``PostgresError`` (decoding failed) when the text is not a valid value of this type.
    static func decode(postgresText text: String) throws -> Self
    /// The value for SQL `NULL`; `nil` means NULL is not allowed for this type.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    public static var postgresNull: Self? { nil }
}

private func mismatch(_ text: String, _ type: String) -> PostgresError {
    let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
    return .decodingFailed("cannot read \"\(shown)\" as \(type)")
}

extension String: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> String { text }
}

extension Int: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Int {
        guard let value = Int(text) else { throw mismatch(text, "Int") }
        return value
    }
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Int64 {
        guard let value = Int64(text) else { throw mismatch(text, "Int64") }
        return value
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Int32 {
        guard let value = Int32(text) else { throw mismatch(text, "Int32") }
        return value
    }
}

extension Double: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Double {
        guard let value = Double(text) else { throw mismatch(text, "Double") }
        return value
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Bool {
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: throw mismatch(text, "Bool")
        }
    }
}

extension UUID: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> UUID {
        guard let value = UUID(uuidString: text) else { throw mismatch(text, "UUID") }
        return value
    }
}

extension Date: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Date {
        guard let value = PostgresTimestamp.parse(text) else { throw mismatch(text, "timestamptz") }
        return value
    }
}

extension PostgresJSON: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> PostgresJSON { PostgresJSON(text) }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String) throws -> Wrapped? { try Wrapped.decode(postgresText: text) }
    public static var postgresNull: Wrapped?? { .some(nil) }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Decodes a one-dimensional array literal such as `{a,"b c",NULL}`.
    public static func decode(postgresText text: String) throws -> [Element] {
        try PostgresArrayLiteral.elements(text).map { element in
            guard let element else {
                guard let null = Element.postgresNull else { throw mismatch(text, "array without NULLs") }
                return null
            }
            return try Element.decode(postgresText: element)
        }
    }
}

/// Splits PostgreSQL's one-dimensional array output into element texts (`nil` for NULL).
enum PostgresArrayLiteral {
    static func elements(_ text: String) throws -> [String?] {
        var scalars = Substring(text).unicodeScalars[...]
        // Arrays with explicit bounds print "[0:1]={...}".
        if scalars.first == "[", let equals = scalars.firstIndex(of: "=") {
            scalars = scalars[scalars.index(after: equals)...]
        }
        guard scalars.first == "{", scalars.last == "}" else { throw mismatch(text, "array") }
        scalars = scalars.dropFirst().dropLast()
        var result: [String?] = []
        guard !scalars.isEmpty else { return result }
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for scalar in scalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if scalar == "," && !quoted {
                let value = String(current)
                result.append(!wasQuoted && value == "NULL" ? nil : value)
                current = String.UnicodeScalarView()
                wasQuoted = false
            } else {
                current.append(scalar)
            }
        }
        let value = String(current)
        result.append(!wasQuoted && value == "NULL" ? nil : value)
        return result
    }
}
