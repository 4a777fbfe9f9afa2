import CLibPQ
import Foundation

/// Helpers for libpq connection strings that keep credentials out of messages.
public enum ConnectionString {
    /// Removes the connection string's password from a message (libpq can echo parts of a malformed string).
    static func scrub(_ message: String, conninfo: String) -> String {
        var scrubbed = message
        for secret in passwords(in: conninfo) where !secret.isEmpty {
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "****")
        }
        return scrubbed
    }

    /// A description of where a connection string points (host, port, database, user), without the password.
    public static func describe(_ conninfo: String) -> String {
        let options = parse(conninfo)
        let host = options["host"] ?? options["hostaddr"] ?? "default host"
        let port = options["port"].map { ":\($0)" } ?? ""
        let database = options["dbname"].map { "/\($0)" } ?? ""
        let user = options["user"].map { " as \($0)" } ?? ""
        return "\(host)\(port)\(database)\(user)"
    }

    /// The password candidates in a connection string: libpq's own parse, plus a textual fallback for strings
    /// libpq cannot parse (a malformed URI may still carry `user:password@`).
    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        if let password = parse(conninfo)["password"] { found.append(password) }
        if let scheme = conninfo.range(of: "://") {
            let rest = conninfo[scheme.upperBound...]
            if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                found.append(String(rest[rest.index(after: colon)..<at]))
            }
        }
        if let range = conninfo.range(of: "password=") {
            found.append(String(conninfo[range.upperBound...].prefix { $0 != " " }))
        }
        return found
    }

    /// libpq's own reading of a connection string (keywords or URI); empty when it cannot be parsed.
    static func parse(_ conninfo: String) -> [String: String] {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            if let error { PQfreemem(error) }
            return [:]
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            cursor += 1
        }
        return values
    }
}
