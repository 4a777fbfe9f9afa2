import Logging
import Postgres
import VeriffAPI

/// Checks that a run could work, without doing any of it: settings, database, schema, permissions, and that
/// Veriff's base URL answers over trusted TLS. It never creates a session and never writes to the database.
public struct SetupChecker: Sendable {
    /// What to check.
    public var configuration: SetupCheckConfiguration
    let logger: Logger

    public init(configuration: SetupCheckConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs every check, in order; a check that needs the database is skipped when it cannot be reached.
    /// - Returns: One result per check: `configuration`, `database`, `schema`, `permissions`, `roles`, `veriff`.
    public func run() async -> CheckReport {
        var results = [checkConfiguration()]
        if ConnectionString.problem(in: configuration.conninfo) != nil {
            let reason = "not checked: the connection string is malformed (see configuration)"
            results += ["database", "schema", "permissions", "roles"].map { .skipped($0, reason) }
            results.append(await checkVeriff())
            return CheckReport(results: results)
        }
        do {
            results += try await PostgresConnectionPool.withPool(
                conninfo: configuration.conninfo, maximum: 1, logger: logger
            ) { pool in
                try await pool.withConnection { connection in
                    [
                        await checkDatabase(connection), await checkSchema(connection),
                        await checkPermissions(connection), await checkRoles(connection),
                    ]
                }
            }
        } catch {
            let place = ConnectionPlace.describe(configuration.conninfo, environment: configuration.environment)
            results.append(.failed("database", "cannot connect to \(place): \(Self.firstLine(of: error))"))
            results.append(.skipped("schema", "not checked: no database connection"))
            results.append(.skipped("permissions", "not checked: no database connection"))
            results.append(.skipped("roles", "not checked: no database connection"))
        }
        results.append(await checkVeriff())
        return CheckReport(results: results)
    }

    /// The settings: every problem found while reading them, or a summary of what a run would use.
    func checkConfiguration() -> CheckResult {
        guard configuration.configurationProblems.isEmpty, let veriff = configuration.veriff else {
            let problems = configuration.configurationProblems
            return .failed("configuration", problems.isEmpty ? "no Veriff settings" : problems.joined(separator: "; "))
        }
        var parts = ["base URL \(veriff.baseURL)"]
        parts.append(
            "API key from \(configuration.apiKeySource ?? "VERIFF_API_KEY") (fingerprint \(veriff.apiKey.fingerprint))")
        parts.append("integration id \(veriff.integrationID ?? "not set")")
        parts.append("callback \(veriff.defaultCallback ?? "not set")")
        parts.append("database from \(configuration.conninfoSource)")
        return .passed("configuration", parts.joined(separator: ", "))
    }

    /// The first line of an error's description (libpq's messages have a hint on a second line).
    static func firstLine(of error: any Error) -> String {
        let text = "\(error)"
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}
