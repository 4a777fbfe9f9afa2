import ArgumentParser
import Foundation
import Logging
import Postgres

/// How every command reaches PostgreSQL: `DATABASE_URL` (a libpq connection string or URI), else libpq's own
/// defaults (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSERVICE`, `~/.pgpass`).
///
/// There is deliberately no flag for the URL: a password on the command line is visible to every user of the machine
/// in `ps`. Every failure inside a database scope becomes one line on standard error and its exit status
/// (``CommandFailure``): 75 when the server cannot be reached.
struct DatabaseOptions: ParsableArguments {
    /// The connection string from `environment`: `DATABASE_URL`, or empty for libpq's defaults.
    static func conninfo(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["DATABASE_URL"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Where the connection string came from, for messages.
    static func source(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        conninfo(environment: environment).isEmpty ? "libpq defaults (PG* variables)" : "DATABASE_URL"
    }

    /// The connection string this process uses.
    var conninfo: String { Self.conninfo() }

    /// Runs `body` with a connection pool, closed afterwards; any error inside is reported as one line on standard
    /// error and turned into its exit status (``CommandFailure``). A connection string libpq cannot read is a
    /// configuration error (exit 64), found before anything connects.
    /// - Parameters:
    ///   - logger: For connection events.
    ///   - maximum: The most connections open at once. Defaults to 1 (one-shot commands).
    ///   - body: The command's work.
    func withPool<T: Sendable>(
        logger: Logger, maximum: Int = 1, _ body: (PostgresConnectionPool) async throws -> T
    ) async throws -> T {
        try await CommandFailure.reporting(conninfo: conninfo) {
            try ConnectionString.validate(conninfo, source: Self.source())
            return try await PostgresConnectionPool.withPool(conninfo: conninfo, maximum: maximum, logger: logger) {
                pool in
                try await body(pool)
            }
        }
    }

    /// Runs `body` with one connection (from a pool of one), reported like ``withPool(logger:maximum:_:)``.
    func withConnection<T: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws
        -> T
    {
        try await withPool(logger: logger) { pool in try await pool.withConnection { try await body($0) } }
    }
}
