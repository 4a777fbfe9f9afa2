/// Privileges a role needs on one of the provisioner's tables. The queue's owner declares them, since it knows which
/// columns each job reads and writes; `sql/roles.sql` grants exactly these and `provisioner check` verifies them.
public struct TablePrivilege: Sendable, Hashable {
    /// The queue table, for catalog questions about it (owner, privileges).
    public static let queueTable = "session_queue"

    /// The table name, as the migrations create it (found through the role's `search_path`).
    public var table: String
    /// Privilege names as `has_table_privilege` takes them: `SELECT`, `INSERT`, `UPDATE`, `DELETE`.
    public var privileges: [String]
    /// Privileges needed on some columns only, by privilege (`UPDATE`: the columns a run writes). Such a privilege
    /// is checked column by column (`has_column_privilege`), and any column beyond these counts as more than needed.
    /// Columns of a later migration that the table does not have yet are not asked for.
    public var columns: [String: [String]]

    public init(table: String, privileges: [String], columns: [String: [String]] = [:]) {
        self.table = table
        self.privileges = privileges
        self.columns = columns
    }

    /// The columns of `session_queue` a run writes (claim, leases, rescue, write-back in `QueueStore`; renewal with
    /// `run --renew-expired` in `SessionRenewal`). sql/roles.sql grants UPDATE on exactly these.
    public static let runnerQueueColumns = [
        "status", "attempts", "next_attempt_at", "last_error", "last_error_code", "claimed_by", "lease_expires_at",
        "in_doubt", "session_id", "session_url", "session_token", "session_host", "session_status", "provisioned_at",
        "expires_at",
        // run --renew-expired (migration 003)
        "previous_session_ids", "session_status_at", "last_event_at", "decision_code", "reason_code",
        "decision_reason", "decision_at", "exported_at", "renewed_count", "renewed_at",
    ]

    /// What `provisioner run` (and `status`, `check`) needs, and nothing more; `sql/roles.sql` grants exactly this.
    ///
    /// A table of a later migration that this database does not have yet is the schema check's business, not a
    /// missing privilege (`rate_limiter_state` comes with migration 002, `webhook_events` with 003).
    public static let runner: [TablePrivilege] = [
        TablePrivilege(table: "schema_migrations", privileges: ["SELECT"]),
        // Claims, lease rescue and write-back update rows (never the end-user's fields); rows are added by
        // `enqueue` or company systems.
        TablePrivilege(
            table: "session_queue", privileges: ["SELECT", "UPDATE"], columns: ["UPDATE": runnerQueueColumns]),
        TablePrivilege(table: "provisioner_runs", privileges: ["SELECT", "INSERT", "UPDATE"]),
        TablePrivilege(table: "session_attempts", privileges: ["SELECT", "INSERT"]),
        TablePrivilege(table: "rate_limiter_state", privileges: ["SELECT", "INSERT", "UPDATE"]),
        // `status` counts the webhooks received; only the webhook receiver writes them.
        TablePrivilege(table: "webhook_events", privileges: ["SELECT"]),
    ]

    /// What `provisioner webhooks` needs (`SessionLifecycle.record`), and nothing more: it finds a queue row by its
    /// session id or vendorData and updates its session status and decision; it never reads the end-user's fields,
    /// the session url or the token. `sql/roles.sql` grants exactly this to `provisioner_webhooks`.
    public static let webhooks: [TablePrivilege] = [
        TablePrivilege(
            table: "session_queue", privileges: ["SELECT", "UPDATE"],
            columns: [
                // `status`: a webhook for a cancelled row is recorded but never revives it.
                "SELECT": [
                    "id", "status", "session_id", "vendor_data", "session_status", "session_status_at",
                    "previous_session_ids",
                ],
                "UPDATE": [
                    "session_status", "session_status_at", "last_event_at", "decision_code", "reason_code",
                    "decision_reason", "decision_at",
                ],
            ]),
        TablePrivilege(
            table: "webhook_events", privileges: ["SELECT", "INSERT", "UPDATE"],
            columns: ["UPDATE": ["outcome", "applied", "queue_id"]]),
    ]

    /// Functions the runner calls (the shared limiter's), checked for EXECUTE when they exist.
    public static let runnerFunctions: [String] = ["rate_limiter_reserve", "rate_limiter_pause"]

    /// The group roles sql/roles.sql creates, with what each must have.
    public static let scriptedRoles: [(name: String, purpose: String, privileges: [TablePrivilege])] = [
        ("provisioner_runner", "a run", runner),
        ("provisioner_webhooks", "the webhook receiver", webhooks),
    ]
}
