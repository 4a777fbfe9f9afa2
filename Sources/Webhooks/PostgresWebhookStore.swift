import Logging
import Postgres
import SessionQueue

/// Records webhooks in PostgreSQL through ``SessionLifecycle/record(_:on:)``, on a small pool of connections.
public final class PostgresWebhookStore: WebhookStore {
    private let pool: ConnectionPool

    /// - Parameters:
    ///   - conninfo: A libpq connection string; empty for libpq's defaults (`PG*` variables).
    ///   - connections: The most connections used at once. Defaults to 4.
    ///   - logger: For connection events.
    public init(conninfo: String, connections: Int = 4, logger: Logger) {
        self.pool = ConnectionPool(conninfo: conninfo, maximum: connections, logger: logger)
    }

    public func record(_ event: LifecycleEvent) async throws -> LifecycleResult {
        try await pool.withConnection { connection in
            try await SessionLifecycle.record(event, on: connection)
        }
    }

    public func isHealthy() async -> Bool {
        do {
            return try await pool.withConnection { connection in
                try await connection.query("SELECT 1 AS ok").count == 1
            }
        } catch {
            return false
        }
    }

    /// Runs `body` with one of the store's pooled connections (read-only work beside the webhooks, such as the
    /// metrics), so the server keeps one connection source.
    ///
    /// - Parameter body: Uses the connection; it must not keep it.
    /// - Returns: What `body` returns.
    /// - Throws: A connection problem, or what `body` throws.
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T
    {
        try await pool.withConnection(body)
    }

    /// Closes the idle connections. Call after the server has stopped.
    public func close() async {
        await pool.close()
    }
}

/// Runs `body` with a store and always closes its connections.
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
    let store = PostgresWebhookStore(conninfo: conninfo, connections: connections, logger: logger)
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}
