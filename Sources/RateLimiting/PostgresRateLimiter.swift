import Logging

/// Limiters that share one budget through PostgreSQL: every runner, on any machine, using the same database and
/// key draws from one `rate_limiter_state` row.
public enum PostgresRateLimiter {
    /// Runs `body` with a limiter shared through PostgreSQL, on its own connection, closed when `body` returns.
    /// - Parameters:
    ///   - conninfo: a libpq connection string ("" for the PG* environment variables).
    ///   - key: one per Veriff integration (derive it from the integration, never put the API key itself here).
    ///   - configuration: the cap, headroom and window; every runner sharing the key must use the same.
    ///   - logger: where pauses and reconnections are logged.
    ///   - body: the work that sends through the limiter.
    /// - Returns: what `body` returns.
    /// - Throws: `PostgresError` when the database cannot be reached, or what `body` throws.
    public static func withLimiter<T>(
        conninfo: String, key: String, configuration: RateLimitConfiguration, logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RateLimiter<ContinuousClock>) async throws -> sending T
    ) async throws -> sending T {
        let store = try await PostgresRateLimiterStore(
            conninfo: conninfo, key: key, configuration: configuration, logger: logger)
        let limiter = RateLimiter(configuration: configuration, store: store, clock: ContinuousClock(), logger: logger)
        do {
            let result = try await body(limiter)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
