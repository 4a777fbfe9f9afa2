/// A strict recursive-descent JSON parser over UTF-8 bytes (RFC 8259): no trailing text, no comments or trailing
/// commas, no raw control characters in strings, no lone surrogates, a nesting limit, and duplicate keys refused
/// (which of two values was meant cannot be told). The one parser for untrusted JSON: JSONL input lines and the
/// stand-in's request bodies.
public struct JSONParser {
    /// Why a text is not one acceptable JSON value.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not JSON: `what` was found at `byte` (1-based).
        case syntax(what: String, byte: Int)
        /// An object names `key` twice.
        case duplicateKey(String)
        /// Arrays and objects nested deeper than `limit`.
        case tooDeep(limit: Int)
        /// A string that is not UTF-8.
        case invalidUTF8
        /// A number too large for a Double.
        case numberOutOfRange

        public var description: String {
            switch self {
            case .syntax(let what, let byte): "\(what) at byte \(byte)"
            case .duplicateKey(let key): "the key \(JSONText.quoted(String(key.prefix(60)))) appears twice"
            case .tooDeep(let limit): "nested more than \(limit) levels deep"
            case .invalidUTF8: "not valid UTF-8"
            case .numberOutOfRange: "a number out of range"
            }
        }
    }

    /// The deepest nesting of arrays and objects accepted (an end-user or a session request needs 3).
    public static let maximumDepth = 32

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON document: exactly one value, nothing after it but white space.
    /// - Throws: ``Failure`` saying what is wrong and where.
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.invalid("text after the JSON value") }
        return value
    }

    private func invalid(_ what: String) -> Failure {
        .syntax(what: what, byte: index + 1)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        skipSpace()
        guard index < bytes.count else { throw invalid("the end of the line where a value belongs") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - index >= expected.count, bytes[index..<index + expected.count].elementsEqual(expected)
        else { throw invalid("an unknown word") }
        index += expected.count
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw .tooDeep(limit: Self.maximumDepth) }
        index += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw invalid("a missing key") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw invalid("a missing \":\"") }
            index += 1
            let member = try value(depth: depth)
            guard members.updateValue(member, forKey: key) == nil else { throw .duplicateKey(key) }
            skipSpace()
            guard index < bytes.count else { throw invalid("an object that is never closed") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw invalid("a missing \",\" or \"}\"")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw .tooDeep(limit: Self.maximumDepth) }
        index += 1
        var elements: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            skipSpace()
            guard index < bytes.count else { throw invalid("an array that is never closed") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw invalid("a missing \",\" or \"]\"")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                // The bytes since the last escape, as they were.
                guard let run = String(validating: bytes[runStart..<index], as: UTF8.self) else {
                    throw .invalidUTF8
                }
                scalars.append(contentsOf: run.unicodeScalars)
                index += 1
                if byte == UInt8(ascii: "\"") { return String(scalars) }
                scalars.append(try escape())
                runStart = index
                continue
            }
            if byte < 0x20 { throw invalid("a control character inside a string (escape it)") }
            index += 1
        }
        throw invalid("a string that is never closed")
    }

    private mutating func escape() throws(Failure) -> Unicode.Scalar {
        guard index < bytes.count else { throw invalid("an unfinished escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4()
            if (0xD800...0xDBFF).contains(first) {
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else { throw invalid("a lone surrogate \\u escape") }
                index += 2
                let second = try hex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw invalid("a lone surrogate \\u escape") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw invalid("a lone surrogate \\u escape") }
            return scalar
        default: throw invalid("an unknown escape")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw invalid("an unfinished \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw invalid("a bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw invalid("an unexpected character") }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 { throw invalid("a leading zero") }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits() > 0 else { throw invalid("a number without digits after its point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            isInteger = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { throw invalid("a number without digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else { throw .numberOutOfRange }
        return .number(number)
    }

    /// Skips ASCII digits; returns how many there were.
    private mutating func digits() -> Int {
        let from = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - from
    }
}
