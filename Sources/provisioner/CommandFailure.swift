import ArgumentParser
import Distribution
import Foundation
import Operations
import Postgres
import SessionQueue
import Support

/// The one place a command's failure becomes a line on standard error and an exit status (README, "Exit codes").
enum CommandFailure {
    /// Runs `body`; a known failure is written as one line (never with a password or a row's values) and thrown
    /// again as its exit status. Exit statuses and usage errors pass through unchanged.
    /// - Parameters:
    ///   - conninfo: The connection string, to say where the database is (host, port, database, user).
    ///   - body: The command's work.
    static func reporting<T>(conninfo: String, _ body: () async throws -> sending T) async throws -> sending T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            let (line, status) = describe(error, conninfo: conninfo)
            ErrorOutput.write(line)
            throw status
        }
    }

    /// The line and the exit status for an error.
    static func describe(_ error: any Error, conninfo: String) -> (String, ExitCode) {
        switch error {
        case let error as PostgresError where error.isConnectionProblem:
            let reason = error.message.split(whereSeparator: \.isNewline).first.map(String.init) ?? error.message
            let place = ConnectionPlace.describe(conninfo, environment: ProcessInfo.processInfo.environment)
            return (
                "error: PostgreSQL unavailable at \(place) (from \(DatabaseOptions.source())): "
                    + reason.trimmingCharacters(in: .whitespaces),
                ExitStatus.databaseUnavailable
            )
        case let error as PostgresError where error.sqlState == "42P01" || error.sqlState == "42883":
            // Undefined table or function: the schema was never migrated (or is older than this build).
            return (
                "error: the database at \(ConnectionString.describe(conninfo)) has no up-to-date provisioner schema "
                    + "(\(error.message)); run `provisioner migrate` as the schema owner first", ExitStatus.usage
            )
        case let error as PostgresError where error.sqlState == "42501":
            return (
                "error: the database role may not do this (\(error.message)); grant the runner role's rights with "
                    + "sql/roles.sql, or see `provisioner check`", ExitStatus.usage
            )
        case let error as PostgresError:
            return (
                "error: database error: \(error.message)\(error.sqlState.map { " (SQLSTATE \($0))" } ?? "")",
                ExitCode.failure
            )
        case let error as ConfigurationError:
            return ("error: \(error.message)", ExitStatus.usage)
        case let error as EnqueueError:
            return ("error: \(error)", ExitStatus.usage)
        case let error as OutputFileError:
            return ("error: \(error)", ExitStatus.usage)
        case let error as MigrationError:
            return ("error: \(error)", ExitCode.failure)
        default:
            return ("error: \(error)", ExitCode.failure)
        }
    }
}

/// Standard error, one line at a time, unbuffered.
enum ErrorOutput {
    /// Writes `line` (newlines folded into spaces) and a newline.
    static func write(_ line: String) {
        FileHandle.standardError.write(
            Data((line.split(whereSeparator: \.isNewline).joined(separator: " ") + "\n").utf8))
    }
}
