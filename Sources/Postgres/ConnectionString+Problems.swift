import CLibPQ
import Foundation
import Support

extension ConnectionString {
    /// Why libpq could not use `conninfo`, found without connecting (libpq's own parse, `PQconninfoParse`, plus a
    /// port that is not a number); `nil` when it is usable, or empty (libpq's defaults).
    ///
    /// libpq quotes the offending piece of the string in its message; a piece may hold a password, so every quoted
    /// piece longer than one character is replaced by `…`.
    public static func problem(in conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            let message = error.map { String(cString: $0) } ?? "libpq cannot parse it"
            if let error { PQfreemem(error) }
            return withoutQuotedPieces(message).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        PQconninfoFree(options)
        if let port = parse(conninfo)["port"], !port.isEmpty,
            !port.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ",") })
        {
            return "the port is not a number"
        }
        return nil
    }

    /// Checks a connection string before connecting.
    /// - Parameters:
    ///   - conninfo: The connection string (keywords or URI), or empty for libpq's defaults.
    ///   - source: Where it came from, for the message (`DATABASE_URL`).
    /// - Throws: ``ConfigurationError/malformedConnectionString(source:problem:)``.
    public static func validate(_ conninfo: String, source: String = "DATABASE_URL") throws(ConfigurationError) {
        if let problem = problem(in: conninfo) {
            throw ConfigurationError.malformedConnectionString(source: source, problem: problem)
        }
    }

    /// `message` with every double-quoted piece longer than one character replaced by `"…"`.
    static func withoutQuotedPieces(_ message: String) -> String {
        var out = ""
        var quoted: String?
        for character in message {
            if character == "\"" {
                if let piece = quoted {
                    out += piece.count > 1 ? "\"…\"" : "\"\(piece)\""
                    quoted = nil
                } else {
                    quoted = ""
                }
            } else if quoted != nil {
                quoted?.append(character)
            } else {
                out.append(character)
            }
        }
        if let piece = quoted { out += piece.isEmpty ? "\"" : "\"…" }
        return out
    }
}

extension ConfigurationError {
    /// The connection string is not one libpq can read: a configuration error (exit 64), not an unavailable
    /// database. The string itself is not shown (it may hold a password).
    public static func malformedConnectionString(source: String, problem: String) -> Self {
        Self(
            Code("malformedConnectionString"),
            "\(source) is not a valid PostgreSQL connection string (host=... dbname=... or postgresql://...): "
                + problem)
    }
}
