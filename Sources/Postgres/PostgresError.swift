import Foundation

/// An error from the database layer, with the context needed to act on it.
///
/// It carries the SQLSTATE, the server's message, the constraint's name and the statement text, but never a
/// parameter value, a row or a password: parameters and rows may be personal data or session tokens, and the
/// connection string may hold credentials. So the server's DETAIL line ("Failing row contains (...)", "Key
/// (email)=(...) already exists") is never kept, and messages of data exceptions (SQLSTATE class 22, which quote
/// the offending input) keep their words but not the value.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case connectionFailed
        case connectionLost
        case queryFailed
        case copyFailed
        case decodingFailed
        case invalidParameter
        case closed
    }

    private let code: Code
    /// The five-character SQLSTATE (e.g. `23505` for a unique violation), when the server sent one.
    public let sqlState: String?
    /// The server's or libpq's primary message, with any echoed value taken out (see the type's summary).
    public let message: String
    /// The constraint that was violated (`session_queue_vendor_data_check`), when the server named one.
    public let constraint: String?
    /// The SQL text that failed (never its parameter values).
    public let statement: String?

    private init(
        _ code: Code, sqlState: String? = nil, message: String, constraint: String? = nil, statement: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = Self.scrub(message, sqlState: sqlState)
        self.constraint = constraint
        self.statement = statement
    }

    /// The server could not be reached or refused the login.
    public static func connectionFailed(_ message: String) -> PostgresError {
        .init(.connectionFailed, message: message)
    }
    /// The connection broke (server restarted, network cut); reconnect and retry.
    public static func connectionLost(_ message: String, statement: String?) -> PostgresError {
        .init(.connectionLost, message: message, statement: statement)
    }
    /// The server rejected a statement.
    public static func queryFailed(sqlState: String?, message: String, constraint: String?, statement: String)
        -> PostgresError
    {
        .init(.queryFailed, sqlState: sqlState, message: message, constraint: constraint, statement: statement)
    }
    /// COPY FROM STDIN failed.
    public static func copyFailed(sqlState: String?, message: String, statement: String) -> PostgresError {
        .init(.copyFailed, sqlState: sqlState, message: message, statement: statement)
    }
    /// A text value holds a NUL byte, which PostgreSQL text cannot store (libpq would cut the value there): it was
    /// refused before anything was sent.
    /// - Parameters:
    ///   - what: Which value, e.g. `parameter $3` or `COPY data`.
    ///   - statement: The statement it was meant for.
    public static func containsNUL(_ what: String, statement: String) -> PostgresError {
        .init(
            .invalidParameter,
            message: "\(what) contains a NUL byte (U+0000), which PostgreSQL text cannot hold; nothing was sent",
            statement: statement)
    }
    /// A value could not be turned into the requested Swift type.
    public static func decodingFailed(_ message: String) -> PostgresError { .init(.decodingFailed, message: message) }
    /// The connection was closed by this process.
    public static var closed: PostgresError { .init(.closed, message: "the connection is closed") }

    /// True when the connection itself is gone (not a problem with the statement): reconnect before retrying.
    public var isConnectionProblem: Bool { code == .connectionFailed || code == .connectionLost || code == .closed }
    /// True for a unique-constraint violation (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The role lacks a privilege the statement needs (SQLSTATE 42501).
    public var isInsufficientPrivilege: Bool { sqlState == "42501" }
    /// True when a value was refused before it was sent (a NUL byte in text).
    public var isInvalidParameter: Bool { code == .invalidParameter }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let constraint { text += " [constraint: \(constraint)]" }
        if let statement { text += " [statement: \(Self.abbreviate(statement))]" }
        return text
    }

    /// `message` without anything that may be a row's or a parameter's value.
    ///
    /// - Everything from a `DETAIL:` line on goes (libpq's full error text repeats the server's detail, which
    ///   echoes rows and keys).
    /// - For data exceptions (SQLSTATE class 22: `invalid input syntax for type uuid: "..."`, `value "..." is out
    ///   of range for type integer`, `invalid byte sequence for encoding "UTF8": 0x00`) every quoted part and
    ///   everything after the first `: ` is replaced by `…`.
    static func scrub(_ message: String, sqlState: String?) -> String {
        var text = message
        if let detail = text.range(of: "DETAIL:") {
            text = String(text[..<detail.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard sqlState?.hasPrefix("22") == true else { return text }
        var out = ""
        var inQuotes = false
        var previous: Character?
        for character in text {
            if character == "\"" {
                if !inQuotes { out += "\"…\"" }
                inQuotes.toggle()
            } else if !inQuotes {
                if character == " " && previous == ":" {
                    out += " …"
                    return out
                }
                out.append(character)
            }
            previous = character
        }
        return out
    }

    static func abbreviate(_ statement: String) -> String {
        let flat = statement.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(197)) + "..." : flat
    }
}
