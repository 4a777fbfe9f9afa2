/// A problem with the input file as a whole (as opposed to one of its rows): nothing is imported.
public struct EnqueueError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case cannotOpen, missingHeader, badHeader, unknownColumn, unknownFormat
    }

    private let code: Code
    /// The file concerned.
    public let path: String
    /// One line for the operator.
    public let description: String

    private init(_ code: Code, path: String, _ description: String) {
        self.code = code
        self.path = path
        self.description = description
    }

    /// The file cannot be opened or read.
    static func cannotOpen(_ path: String, reason: String) -> EnqueueError {
        .init(.cannotOpen, path: path, "cannot read \(path): \(reason)")
    }

    /// The CSV file is empty, or its first line is data rather than column names.
    static func missingHeader(_ path: String, found: String?) -> EnqueueError {
        let known = EndUserField.allCases.map(\.name).joined(separator: ", ")
        guard let found else {
            return .init(.missingHeader, path: path, "\(path) is empty: a CSV file needs a header row (\(known))")
        }
        return .init(
            .missingHeader, path: path,
            "\(path) has no header row: line 1 starts with \"\(found.prefix(40))\", not a column name (\(known))")
    }

    /// The header row is malformed or names a field twice.
    static func badHeader(_ path: String, line: Int, problem: String) -> EnqueueError {
        .init(.badHeader, path: path, "\(path) line \(line) (header): \(problem)")
    }

    /// The header names a column that is not an end-user field.
    static func unknownColumn(_ path: String, name: String) -> EnqueueError {
        let known = EndUserField.allCases.map(\.name).joined(separator: ", ")
        return .init(
            .unknownColumn, path: path,
            "\(path) line 1 (header): unknown column \"\(name)\"; known columns: \(known) (or snake_case)")
    }

    /// The format cannot be told from the file name.
    static func unknownFormat(_ path: String) -> EnqueueError {
        .init(.unknownFormat, path: path, "cannot tell the format of \(path) from its name: use --format csv or jsonl")
    }
}
