import Logging
import Postgres
import SessionQueue

/// Records webhooks in PostgreSQL through ``SessionLifecycle/record(_:on:)``, on the receiver's connection pool.
public struct PostgresWebhookStore: WebhookStore {
    /// The pool it records on; the operator server reads its dashboard through it too (one connection source).
    public let pool: PostgresConnectionPool

    /// - Parameter pool: The queue's database; each webhook uses one connection for its transaction.
    public init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    public func record(_ event: LifecycleEvent) async throws -> LifecycleResult {
        try await pool.withConnection { connection in
            try await SessionLifecycle.record(event, on: connection)
        }
    }

    public func isHealthy() async -> Bool {
        (try? await pool.query("SELECT 1 AS ok").count == 1) ?? false
    }

    /// Runs `body` with one of the store's pooled connections (read-only work beside the webhooks, such as the
    /// metrics), so the server keeps one connection source.
    ///
    /// - Parameter body: Uses the connection; it must not keep it.
    /// - Returns: What `body` returns.
    /// - Throws: A connection problem, or what `body` throws.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withConnection { try await body($0) }
    }
}

/// Runs `body` with a store on a pool of its own, and always closes the pool's connections.
///
/// - Parameters:
///   - conninfo: A libpq connection string.
///   - connections: The pool size.
///   - logger: For connection events.
///   - body: Uses the store.
/// - Returns: What `body` returns.
public func withPostgresWebhookStore<Result: Sendable>(
    conninfo: String, connections: Int = 4, logger: Logger, _ body: (PostgresWebhookStore) async throws -> Result
) async throws -> Result {
    try await PostgresConnectionPool.withPool(conninfo: conninfo, maximum: connections, logger: logger) { pool in
        try await body(PostgresWebhookStore(pool: pool))
    }
}
