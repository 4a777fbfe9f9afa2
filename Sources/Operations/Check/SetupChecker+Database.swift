import Postgres
import SessionQueue

extension SetupChecker {
    /// The server answers: where, which version, as which role.
    func checkDatabase(_ connection: PostgresConnection) async -> CheckResult {
        do {
            let row = try await connection.query(
                """
                SELECT current_user AS role, current_database() AS database,
                       current_setting('server_version') AS version
                """
            ).first
            let role: String = try row?.decode("role") ?? "?"
            let database: String = try row?.decode("database") ?? "?"
            let version: String = try row?.decode("version") ?? "?"
            let place = ConnectionPlace.describe(configuration.conninfo, environment: configuration.environment)
            return .passed(
                "database", "connected to \(place): database \(database) as \(role), PostgreSQL \(version)")
        } catch {
            return .failed("database", "connected, but a query failed: \(Self.firstLine(of: error))")
        }
    }

    /// Every migration this build knows is applied, and none it does not know.
    func checkSchema(_ connection: PostgresConnection) async -> CheckResult {
        let known = Migrator(logger: logger).migrations.map(\.version)
        let latest = known.max() ?? 0
        do {
            guard try await Migrator.currentVersion(connection) != nil else {
                return .failed("schema", "not migrated (no schema_migrations table): run `provisioner migrate`")
            }
            let rows = try await connection.query("SELECT version FROM schema_migrations ORDER BY version")
            let applied = try rows.map { try $0.decode("version", as: Int.self) }
            let missing = known.filter { !applied.contains($0) }
            let unknown = applied.filter { !known.contains($0) }
            if !unknown.isEmpty {
                let list = unknown.map(String.init).joined(separator: ", ")
                return .failed(
                    "schema",
                    "the database has migration(s) \(list) that this build does not know "
                        + "(it knows up to \(latest)): upgrade provisioner")
            }
            if !missing.isEmpty {
                let list = missing.map(String.init).joined(separator: ", ")
                return .failed(
                    "schema",
                    "migration(s) \(list) not applied (this build needs version \(latest)): "
                        + "run `provisioner migrate` as the schema owner")
            }
            return .passed("schema", "version \(latest), up to date")
        } catch {
            return .failed("schema", "cannot read schema_migrations: \(Self.firstLine(of: error))")
        }
    }

    /// The role has every privilege a run needs; and a note when it has far more (superuser or owner).
    func checkPermissions(_ connection: PostgresConnection) async -> CheckResult {
        do {
            var lacking: [String] = []
            var invisible: [String] = []
            for requirement in configuration.requiredPrivileges {
                for privilege in requirement.privileges {
                    let row = try await connection.query(
                        """
                        SELECT to_regclass($1) IS NOT NULL AS present,
                               coalesce(has_table_privilege(to_regclass($1), $2), false) AS granted
                        """, [requirement.table, privilege]
                    ).first
                    guard try row?.decode("present", as: Bool.self) == true else {
                        if !invisible.contains(requirement.table) { invisible.append(requirement.table) }
                        continue
                    }
                    if try row?.decode("granted", as: Bool.self) != true {
                        lacking.append("\(privilege) on \(requirement.table)")
                    }
                }
            }
            let functions = try await connection.query(
                """
                SELECT p.oid::regprocedure::text AS signature, has_function_privilege(p.oid, 'EXECUTE') AS granted
                  FROM pg_proc p
                 WHERE p.proname = ANY($1) AND pg_function_is_visible(p.oid)
                 ORDER BY 1
                """, [configuration.requiredFunctions])
            for function in functions {
                let signature = try function.decode("signature", as: String.self)
                if try function.decode("granted", as: Bool.self) != true { lacking.append("EXECUTE on \(signature)") }
            }
            let role = try await roleSummary(connection)
            // A table the schema check expects but the role cannot see is missing USAGE on the schema.
            let expected = Set(
                configuration.requiredPrivileges.map(\.table).filter { Self.createdByThisBuild($0) })
            let hidden = invisible.filter { expected.contains($0) }
            if !lacking.isEmpty || !hidden.isEmpty {
                var parts: [String] = []
                if !lacking.isEmpty { parts.append("missing " + lacking.joined(separator: ", ")) }
                if !hidden.isEmpty {
                    parts.append(
                        "cannot see table(s) " + hidden.joined(separator: ", ")
                            + " (not migrated, or no USAGE on their schema)")
                }
                return .failed(
                    "permissions",
                    "role \(role.name): " + parts.joined(separator: "; ")
                        + " — grant them with sql/roles.sql")
            }
            var detail = "role \(role.name) has what a run needs"
            if role.isSuperuser {
                detail += " (note: it is a superuser — run as a least-privilege role, see sql/roles.sql)"
            } else if role.ownsTables {
                detail += " (note: it owns the tables — run as a role without ownership, see sql/roles.sql)"
            }
            return .passed("permissions", detail)
        } catch {
            return .failed("permissions", "cannot read privileges: \(Self.firstLine(of: error))")
        }
    }

    /// Whether one of this build's migrations creates `table` (a table of a later build is not expected yet).
    static func createdByThisBuild(_ table: String) -> Bool {
        Migration.embedded.contains { $0.sql.contains("CREATE TABLE \(table) ") || $0.sql.contains("EXISTS \(table) ") }
            || table == "schema_migrations"
    }

    private func roleSummary(_ connection: PostgresConnection) async throws -> (
        name: String, isSuperuser: Bool, ownsTables: Bool
    ) {
        let row = try await connection.query(
            """
            SELECT current_user AS name,
                   (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
                   EXISTS (SELECT 1 FROM pg_tables
                            WHERE tablename = 'session_queue' AND pg_has_role(current_user, tableowner, 'USAGE'))
                       AS owns
            """
        ).first
        return (
            try row?.decode("name") ?? "?", try row?.decode("superuser", as: Bool?.self) ?? false,
            try row?.decode("owns", as: Bool.self) ?? false
        )
    }
}
