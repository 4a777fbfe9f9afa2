import ArgumentParser
import Foundation
import Logging
import Operations
import Postgres

/// How every command reaches PostgreSQL: `DATABASE_URL` (a libpq connection string or URI), else libpq's own
/// defaults (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSERVICE`, `~/.pgpass`).
///
/// There is deliberately no flag for the URL: a password on the command line is visible to every user of the machine
/// in `ps`. A connection problem becomes one line on standard error naming host and port, and exit status 75.
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

    /// Opens a connection.
    /// - Throws: `ExitStatus.databaseUnavailable` (75) after writing one line to standard error when the server
    ///   cannot be reached or refuses the login.
    func connect(logger: Logger) async throws -> PostgresConnection {
        try await exitingOnConnectionProblems {
            try await PostgresConnection.connect(conninfo, logger: logger)
        }
    }

    /// Opens a connection, runs `body`, and closes the connection, also when `body` throws. A connection problem
    /// anywhere inside ends the process the same way as in ``connect(logger:)``.
    func withConnection<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect(logger: logger)
        do {
            let value = try await exitingOnConnectionProblems { try await body(connection) }
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Runs `body`; a ``PostgresError`` that is a connection problem becomes one line on standard error and
    /// `ExitStatus.databaseUnavailable`. Other errors pass through unchanged.
    func exitingOnConnectionProblems<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.isConnectionProblem {
            Self.writeError(Self.describeConnectionProblem(error, conninfo: conninfo))
            throw ExitStatus.databaseUnavailable
        } catch let error as PostgresError where error.sqlState == "42P01" || error.sqlState == "42883" {
            // undefined table or function: the schema was never migrated (or is older than this build).
            Self.writeError(
                "error: the database at \(ConnectionString.describe(conninfo)) has no up-to-date provisioner schema "
                    + "(\(error.message)); run `provisioner migrate` as the schema owner first")
            throw ExitStatus.usage
        } catch let error as PostgresError where error.sqlState == "42501" {
            Self.writeError(
                "error: the database role may not do this (\(error.message)); grant the runner role's rights with "
                    + "sql/roles.sql, or see `provisioner check`")
            throw ExitStatus.usage
        }
    }

    /// One line: where (host, port, database, user — never the password) and libpq's reason.
    static func describeConnectionProblem(_ error: PostgresError, conninfo: String) -> String {
        let reason = error.message.split(whereSeparator: \.isNewline).first.map(String.init) ?? error.message
        let place = ConnectionPlace.describe(conninfo, environment: ProcessInfo.processInfo.environment)
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        return "error: PostgreSQL unavailable at \(place) (from \(source())): \(trimmed)"
    }

    /// Writes one line to standard error, unbuffered.
    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
