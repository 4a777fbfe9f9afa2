import Postgres

/// Where a connection string points, for messages: host, port, database and user, never the password.
public enum ConnectionPlace {
    /// Describes `conninfo`; when it is empty (libpq's defaults), describes what the `PG*` variables select.
    /// - Parameters:
    ///   - conninfo: A libpq connection string or URI, or empty.
    ///   - environment: The process environment, for `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`.
    /// - Returns: e.g. `db.internal:5432/provisioner as runner`.
    public static func describe(_ conninfo: String, environment: [String: String]) -> String {
        guard conninfo.trimmingWhitespace().isEmpty else { return ConnectionString.describe(conninfo) }
        let keywords = [("host", "PGHOST"), ("port", "PGPORT"), ("dbname", "PGDATABASE"), ("user", "PGUSER")]
            .compactMap { keyword, variable -> String? in
                guard let value = environment[variable], !value.isEmpty, !value.contains(where: \.isWhitespace),
                    !value.contains("'")
                else { return nil }
                return "\(keyword)=\(value)"
            }
        return ConnectionString.describe(keywords.joined(separator: " "))
    }
}

extension String {
    /// The string without surrounding whitespace.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
