import Postgres

/// Why the dashboard could not read or change the queue, in words for the operator: the two causes an operator can
/// act on are told apart (the database is away; the server's role may not do this), never the statement or a value.
enum DashboardDatabaseProblem {
    /// One sentence for a page or a plain-text answer.
    static func sentence(_ error: any Error) -> String {
        if let error = error as? PostgresError, error.isInsufficientPrivilege {
            return "the server's database role lacks a privilege the dashboard needs (run serve as a member of "
                + "provisioner_runner and provisioner_webhooks, see sql/roles.sql)"
        }
        return "the database did not answer"
    }
}
