import Foundation
import Postgres
import TestSupport

/// Login roles for the permission tests, made in a test database and dropped afterwards.
enum RunnerRole {
    /// The text of sql/roles.sql.
    static func rolesSQL() throws -> String {
        try String(contentsOfFile: CLI.packageRoot + "/sql/roles.sql", encoding: .utf8)
    }

    /// Creates a login role (cluster-wide, so uniquely named), lets `setup` grant it what the test wants in the
    /// database at `conninfo`, runs `body` with a connection string that logs in as it, and drops the role.
    static func withLoginRole<T>(
        in conninfo: String, setup: (PostgresConnection, String) async throws -> Void,
        _ body: (String) async throws -> T
    ) async throws -> T {
        let name = "t_login_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try await TestDatabase.withConnection(conninfo) { admin in
            // Identifiers cannot be parameters; `name` is made here of hex digits only.
            try await admin.execute("CREATE ROLE \(name) LOGIN")
            try await setup(admin, String(name))
        }
        do {
            let value = try await body(conninfo + " user=\(name)")
            try await dropRole(String(name), conninfo: conninfo)
            return value
        } catch {
            try? await dropRole(String(name), conninfo: conninfo)
            throw error
        }
    }

    private static func dropRole(_ name: String, conninfo: String) async throws {
        try await TestDatabase.withConnection(conninfo) { admin in
            try await admin.execute("DROP OWNED BY \(name)")
            try await admin.execute("DROP ROLE \(name)")
        }
    }
}
