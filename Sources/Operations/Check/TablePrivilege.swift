/// Privileges a role needs on one of the provisioner's tables.
public struct TablePrivilege: Sendable, Hashable {
    /// The table name, as the migrations create it (found through the role's `search_path`).
    public var table: String
    /// Privilege names as `has_table_privilege` takes them: `SELECT`, `INSERT`, `UPDATE`, `DELETE`.
    public var privileges: [String]

    public init(table: String, privileges: [String]) {
        self.table = table
        self.privileges = privileges
    }

    /// What `provisioner run` (and `status`, `check`) needs, and nothing more; `sql/roles.sql` grants exactly this.
    ///
    /// A table of a later migration that this database does not have yet is the schema check's business, not a
    /// missing privilege (`rate_limiter_state` comes with migration 002, `webhook_events` with 003).
    public static let runner: [TablePrivilege] = [
        TablePrivilege(table: "schema_migrations", privileges: ["SELECT"]),
        // Claims, lease rescue and write-back update rows; rows are added by `enqueue` or company systems.
        TablePrivilege(table: "session_queue", privileges: ["SELECT", "UPDATE"]),
        TablePrivilege(table: "provisioner_runs", privileges: ["SELECT", "INSERT", "UPDATE"]),
        TablePrivilege(table: "session_attempts", privileges: ["SELECT", "INSERT"]),
        TablePrivilege(table: "rate_limiter_state", privileges: ["SELECT", "INSERT", "UPDATE"]),
        // `status` counts the webhooks received; only the webhook receiver writes them.
        TablePrivilege(table: "webhook_events", privileges: ["SELECT"]),
    ]

    /// Functions the runner calls (the shared limiter's), checked for EXECUTE when they exist.
    public static let runnerFunctions: [String] = [
        "rate_limiter_reserve", "rate_limiter_pause", "rate_limiter_take", "rate_limiter_limited",
    ]
}
