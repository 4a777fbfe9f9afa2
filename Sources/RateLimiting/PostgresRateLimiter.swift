import Logging
import Postgres

/// Limiters that share one budget through PostgreSQL: every runner, on any machine, using the same database and
/// key draws from one `rate_limiter_state` row.
public enum PostgresRateLimiter {
    /// A limiter shared through PostgreSQL, on the run's pool.
    /// - Parameters:
    ///   - pool: the database that holds the shared state.
    ///   - key: one per Veriff integration (derive it from the integration, never put the API key itself here).
    ///   - configuration: the cap, headroom and window; every runner sharing the key must use the same.
    ///   - logger: where pauses are logged.
    /// - Returns: the limiter, timed on the continuous clock.
    public static func make(
        pool: PostgresConnectionPool, key: String, configuration: RateLimitConfiguration, logger: Logger
    ) -> RateLimiter<ContinuousClock> {
        let store = PostgresRateLimiterStore(pool: pool, key: key, configuration: configuration)
        return RateLimiter(configuration: configuration, store: store, clock: ContinuousClock(), logger: logger)
    }
}
