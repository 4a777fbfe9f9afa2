/// An error from the database layer, with the context needed to act on it.
///
/// It carries the SQLSTATE and the server's message and the statement text, but never a parameter value or a
/// password: parameters may be personal data, and the connection string may hold credentials.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case connectionFailed
        case connectionLost
        case queryFailed
        case copyFailed
        case decodingFailed
        case closed
    }

    private let code: Code
    /// The five-character SQLSTATE (e.g. `23505` for a unique violation), when the server sent one.
    public let sqlState: String?
    /// The server's or libpq's primary message.
    public let message: String
    /// The server's detail line, if any.
    public let detail: String?
    /// The SQL text that failed (never its parameter values).
    public let statement: String?

    private init(
        _ code: Code, sqlState: String? = nil, message: String, detail: String? = nil, statement: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
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
    public static func queryFailed(sqlState: String?, message: String, detail: String?, statement: String)
        -> PostgresError
    {
        .init(.queryFailed, sqlState: sqlState, message: message, detail: detail, statement: statement)
    }
    /// COPY FROM STDIN failed.
    public static func copyFailed(sqlState: String?, message: String, statement: String) -> PostgresError {
        .init(.copyFailed, sqlState: sqlState, message: message, statement: statement)
    }
    /// A value could not be turned into the requested Swift type.
    public static func decodingFailed(_ message: String) -> PostgresError { .init(.decodingFailed, message: message) }
    /// The connection was closed by this process.
    public static var closed: PostgresError { .init(.closed, message: "the connection is closed") }

    /// True when the connection itself is gone (not a problem with the statement): reconnect before retrying.
    public var isConnectionProblem: Bool { code == .connectionFailed || code == .connectionLost || code == .closed }
    /// True for a unique-constraint violation (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += " — \(detail)" }
        if let statement { text += " [statement: \(Self.abbreviate(statement))]" }
        return text
    }

    static func abbreviate(_ statement: String) -> String {
        let flat = statement.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(197)) + "..." : flat
    }
}
