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

    /// The role has every privilege a run needs; and a note when it has far more (superuser, owner, or UPDATE on
    /// columns a run never writes).
    func checkPermissions(_ connection: PostgresConnection) async -> CheckResult {
        do {
            let role = try await roleSummary(connection)
            let gaps = try await privilegeGaps(of: role.name, configuration.requiredPrivileges, connection)
            var lacking = gaps.lacking
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
            // A table the schema check expects but the role cannot see is missing USAGE on the schema.
            let expected = Set(
                configuration.requiredPrivileges.map(\.table).filter { Self.createdByThisBuild($0) })
            let hidden = gaps.invisible.filter { expected.contains($0) }
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
            } else if !gaps.excess.isEmpty {
                detail +=
                    " (note: it may also \(gaps.excess.joined(separator: "; ")), more than a run writes — "
                    + "re-run sql/roles.sql and grant no more)"
            }
            return .passed("permissions", detail)
        } catch {
            return .failed("permissions", "cannot read privileges: \(Self.firstLine(of: error))")
        }
    }

    /// The group roles of sql/roles.sql (`provisioner_runner`, `provisioner_webhooks`) have exactly what their job
    /// needs: every privilege, and no column-level privilege beyond it (the runner may not UPDATE an email).
    /// Read-only, like every check: it asks `has_table_privilege` and `has_column_privilege` about each role.
    func checkRoles(_ connection: PostgresConnection) async -> CheckResult {
        do {
            // Roles belong to the whole cluster; a role counts as set up in this database when it may read or
            // update the queue here.
            var existing: [String] = []
            for role in TablePrivilege.scriptedRoles {
                let row = try await connection.query(
                    """
                    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                                  OR to_regclass($2) IS NULL THEN false
                                ELSE has_any_column_privilege($1::name, to_regclass($2), 'SELECT, UPDATE')
                           END AS present
                    """, [role.name, TablePrivilege.queueTable]
                ).first
                if try row?.decode("present", as: Bool.self) == true { existing.append(role.name) }
            }
            let names = TablePrivilege.scriptedRoles.map(\.name).joined(separator: " and ")
            guard !existing.isEmpty else {
                return .passed(
                    "roles",
                    "sql/roles.sql not applied to this database (\(names) have no rights here): nothing to verify")
            }
            var problems: [String] = []
            var fine: [String] = []
            for role in TablePrivilege.scriptedRoles {
                guard existing.contains(role.name) else {
                    problems.append("\(role.name) is missing or has no rights on \(TablePrivilege.queueTable)")
                    continue
                }
                let gaps = try await privilegeGaps(of: role.name, role.privileges, connection)
                if !gaps.lacking.isEmpty {
                    problems.append("\(role.name) lacks " + gaps.lacking.joined(separator: ", "))
                }
                if !gaps.excess.isEmpty {
                    problems.append(
                        "\(role.name) may also \(gaps.excess.joined(separator: "; ")), more than \(role.purpose) needs")
                }
                if gaps.lacking.isEmpty && gaps.excess.isEmpty {
                    fine.append("\(role.name) has exactly what \(role.purpose) needs")
                }
            }
            guard problems.isEmpty else {
                return .failed(
                    "roles", problems.joined(separator: "; ") + " — re-run sql/roles.sql as the schema owner")
            }
            return .passed("roles", fine.joined(separator: "; "))
        } catch {
            return .failed("roles", "cannot read privileges: \(Self.firstLine(of: error))")
        }
    }

    /// How `role`'s privileges differ from `requirements`: what it lacks (`UPDATE on session_queue`, or
    /// `UPDATE (status, attempts) on session_queue` when only some columns are missing), the tables it cannot see,
    /// and the column-level privileges it has beyond the listed columns (`UPDATE email, first_name on
    /// session_queue`). Tables and columns of migrations not applied yet are left out.
    func privilegeGaps(of role: String, _ requirements: [TablePrivilege], _ connection: PostgresConnection)
        async throws -> (lacking: [String], invisible: [String], excess: [String])
    {
        var lacking: [String] = []
        var invisible: [String] = []
        var excess: [String] = []
        for requirement in requirements {
            let present = try await connection.query(
                "SELECT to_regclass($1) IS NOT NULL AS present", [requirement.table]
            ).first
            guard try present?.decode("present", as: Bool.self) == true else {
                if !invisible.contains(requirement.table) { invisible.append(requirement.table) }
                continue
            }
            for privilege in requirement.privileges {
                guard let wanted = requirement.columns[privilege] else {
                    let row = try await connection.query(
                        "SELECT has_table_privilege($1::name, to_regclass($2), $3) AS granted",
                        [role, requirement.table, privilege]
                    ).first
                    if try row?.decode("granted", as: Bool.self) != true {
                        lacking.append("\(privilege) on \(requirement.table)")
                    }
                    continue
                }
                let rows = try await connection.query(
                    """
                    SELECT a.attname::text AS name, has_column_privilege($1::name, a.attrelid, a.attname, $3) AS granted
                      FROM pg_attribute a
                     WHERE a.attrelid = to_regclass($2) AND a.attnum > 0 AND NOT a.attisdropped
                     ORDER BY a.attnum
                    """, [role, requirement.table, privilege])
                var missing: [String] = []
                var extra: [String] = []
                var needed = 0
                for row in rows {
                    let name = try row.decode("name", as: String.self)
                    let granted = try row.decode("granted", as: Bool.self)
                    if wanted.contains(name) {
                        needed += 1
                        if !granted { missing.append(name) }
                    } else if granted {
                        extra.append(name)
                    }
                }
                if !missing.isEmpty {
                    lacking.append(
                        missing.count == needed
                            ? "\(privilege) on \(requirement.table)"
                            : "\(privilege) (\(missing.joined(separator: ", "))) on \(requirement.table)")
                }
                if !extra.isEmpty {
                    excess.append("\(privilege) \(extra.joined(separator: ", ")) on \(requirement.table)")
                }
            }
        }
        return (lacking, invisible, excess)
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
                            WHERE tablename = $1 AND pg_has_role(current_user, tableowner, 'USAGE'))
                       AS owns
            """, [TablePrivilege.queueTable]
        ).first
        return (
            try row?.decode("name") ?? "?", try row?.decode("superuser", as: Bool?.self) ?? false,
            try row?.decode("owns", as: Bool.self) ?? false
        )
    }
}
