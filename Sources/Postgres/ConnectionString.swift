import CLibPQ
import Foundation

/// Helpers for libpq connection strings that keep credentials out of messages.
///
/// A malformed string is the dangerous case: libpq may read part of the password as a host name or echo it in its
/// error message (`postgresql://u:pa@ss@host/db` has a host of `ss@host` to libpq). So everything between `://` and
/// the last `@` of a URI, and everything after `password=` in a keyword string, is treated as secret, in pieces as
/// well as whole.
public enum ConnectionString {
    /// Removes the connection string's password, and any piece of it, from a message.
    ///
    /// - A string libpq cannot parse: its message quotes a piece of the string, so only the words before the quote
    ///   are kept.
    /// - Otherwise every password candidate (see ``passwords(in:)``) and every value libpq read that is not plainly a
    ///   host, port, database or user name (it holds an `@`, or a piece of a candidate) is replaced, quoted or not.
    static func scrub(_ message: String, conninfo: String) -> String {
        guard isReadable(conninfo) else {
            let words = message.prefix { $0 != "\"" }.trimmingCharacters(in: .whitespacesAndNewlines)
            return words + " … (libpq could not parse the connection string; its quote of it is not shown: it may "
                + "hold the password)"
        }
        var secrets = passwords(in: conninfo)
        let options = parse(conninfo)
        for key in ["host", "hostaddr", "port", "dbname", "user"] {
            guard let value = options[key], !value.isEmpty, shown(value, as: key, secrets: secrets) == nil else {
                continue
            }
            secrets.append(value)
        }
        var scrubbed = message
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            scrubbed = scrubbed.replacingOccurrences(of: "\"\(secret)\"", with: "\"…\"")
            if secret.count >= 3 { scrubbed = scrubbed.replacingOccurrences(of: secret, with: "****") }
        }
        return scrubbed
    }

    /// A description of where a connection string points (host, port, database, user), without the password.
    ///
    /// Every value shown must look like what it is (a host name or address, a port number, a plain name) and share
    /// nothing with a password candidate: a password with an unescaped `@`, `/` or `?` makes libpq read part of it
    /// as a host, a port or a database name. For a URI whose credentials are malformed that way, the part after its
    /// last `@` is read instead, when it is plainly `host[:port][/database]`; otherwise nothing is shown but
    /// `(a malformed connection string)`.
    public static func describe(_ conninfo: String) -> String {
        let secrets = passwords(in: conninfo)
        var options = parse(conninfo)
        var user = shown(options["user"], as: "user", secrets: secrets)
        if let uri = URIParts(conninfo), let credentials = uri.credentials {
            let malformed = "(a malformed connection string)"
            user = uri.wellFormedUser.flatMap { shown($0, as: "user", secrets: []) }
            if uri.wellFormedUser == nil {
                // `=` in the credentials means the last `@` is in the parameters: what follows is not a host.
                guard !credentials.contains("="), let first = uri.afterCredentials.first, !"/?:".contains(first)
                else { return malformed }
                options = parse(uri.scheme + uri.afterCredentials)
            }
            guard shown(options["host"], as: "host", secrets: secrets) != nil else { return malformed }
        }
        let host: String
        if let value = options["host"] ?? options["hostaddr"] {
            host = shown(value, as: "host", secrets: secrets) ?? "(a malformed host)"
        } else {
            host = "default host"
        }
        let port = shown(options["port"], as: "port", secrets: secrets).map { ":\($0)" } ?? ""
        let database = shown(options["dbname"], as: "dbname", secrets: secrets).map { "/\($0)" } ?? ""
        return "\(host)\(port)\(database)\(user.map { " as \($0)" } ?? "")"
    }

    /// `value` when it may be shown as the connection option `key`: it looks like one (a port is digits, a host a
    /// name, address or socket directory, a user or database a plain name), and it neither is a piece of a password
    /// candidate nor holds one.
    static func shown(_ value: String?, as key: String, secrets: [String]) -> String? {
        guard let value, !value.isEmpty else { return nil }
        let looksRight: Bool
        switch key {
        case "port": looksRight = value.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ",") }
        case "host", "hostaddr":
            looksRight = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[],%_/".contains($0)) }
        case "user": looksRight = value.allSatisfy { $0.isLetter || $0.isNumber || "_.-$@".contains($0) }
        default: looksRight = value.allSatisfy { $0.isLetter || $0.isNumber || "_.-$".contains($0) }
        }
        guard looksRight else { return nil }
        let sharesASecret = secrets.contains { $0.contains(value) || ($0.count >= 3 && value.contains($0)) }
        return sharesASecret ? nil : value
    }

    /// The password candidates in a connection string: libpq's own parse, plus a textual reading for strings libpq
    /// reads differently or not at all: what follows the first `:` of a URI's credentials (between `://` and the
    /// last `@`) and, when they are malformed, the credentials whole and in pieces; and whatever follows
    /// `password=` up to the next keyword, whole and word by word.
    static func passwords(in conninfo: String) -> [String] {
        var found: [String] = []
        if let password = parse(conninfo)["password"] { found.append(password) }
        if let uri = URIParts(conninfo), let credentials = uri.credentials {
            if let colon = credentials.firstIndex(of: ":") {
                found.append(String(credentials[credentials.index(after: colon)...]))
            }
            // Malformed (an `@`, `/`, `?` or `#` in them): libpq reads them differently; all of it may be password.
            if uri.wellFormedUser == nil {
                found.append(credentials)
                let pieces = credentials.split(whereSeparator: { ":@/?#&= ".contains($0) }).map(String.init)
                found += pieces.dropFirst()
            }
        }
        var rest = Substring(conninfo)
        while let range = rest.range(of: "password", options: .caseInsensitive) {
            rest = rest[range.upperBound...]
            let afterEquals = rest.drop { $0 == " " || $0 == "\t" }
            guard afterEquals.first == "=" else { continue }
            let value = afterEquals.dropFirst()
            // Up to the next `keyword=` (a word followed by `=`), or the end.
            let words = value.split(whereSeparator: { $0.isWhitespace || $0 == "&" })
            var taken: [Substring] = []
            for word in words {
                if !taken.isEmpty, let equals = word.firstIndex(of: "="), equals > word.startIndex,
                    word[..<equals].allSatisfy({ $0.isLetter || $0 == "_" })
                {
                    break
                }
                taken.append(word)
            }
            let whole = taken.joined(separator: " ")
            found.append(whole)
            found.append(whole.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")))
            found += taken.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
        }
        return found.filter { !$0.isEmpty }
    }

    /// Whether libpq can read the connection string at all.
    static func isReadable(_ conninfo: String) -> Bool {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            if let error { PQfreemem(error) }
            return false
        }
        PQconninfoFree(options)
        return true
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

/// A `postgres://` or `postgresql://` URI cut at the last `@`.
private struct URIParts {
    /// `postgresql://`.
    var scheme: String
    /// Between `://` and the last `@` (user and password), when there is an `@`.
    var credentials: String?
    /// After the last `@` (or after `://` when there is none): host, port, database, parameters.
    var afterCredentials: String

    init?(_ conninfo: String) {
        let trimmed = conninfo.trimmingCharacters(in: .whitespaces)
        guard let separator = trimmed.range(of: "://"),
            ["postgres", "postgresql"].contains(trimmed[..<separator.lowerBound].lowercased())
        else { return nil }
        scheme = String(trimmed[..<separator.upperBound])
        let rest = trimmed[separator.upperBound...]
        if let at = rest.lastIndex(of: "@") {
            credentials = String(rest[..<at])
            afterCredentials = String(rest[rest.index(after: at)...])
        } else {
            credentials = nil
            afterCredentials = String(rest)
        }
    }

    /// The user name, when the credentials are well formed (no `@`, `/`, `?` or `#` in them); `nil` otherwise.
    var wellFormedUser: String? {
        guard let credentials, !credentials.contains(where: { "@/?#".contains($0) }) else { return nil }
        let user = credentials.prefix { $0 != ":" }
        guard !user.isEmpty else { return nil }
        return String(user).removingPercentEncoding ?? String(user)
    }
}
