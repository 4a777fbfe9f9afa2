import Foundation
import Logging
import Postgres
import SessionQueue
import Support

/// Private databases for tests, created in the cluster that `scripts/test` starts.
public enum TestDatabase {
    /// A connection string for the test cluster's admin database (`PROVISIONER_TEST_DATABASE_URL`).
    /// - Throws: ``TestSetupError`` when the variable is missing: the tests need `scripts/test`'s cluster.
    public static func adminConninfo() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["PROVISIONER_TEST_DATABASE_URL"], !url.isEmpty else {
            throw TestSetupError(
                "PROVISIONER_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts a private "
                    + "PostgreSQL cluster")
        }
        return url
    }

    /// Creates a new, empty database (migrated unless told otherwise), runs `body` with its connection string, and
    /// drops it afterwards.
    /// - Parameters:
    ///   - migrated: Whether to apply every migration first. Defaults to true.
    ///   - body: The test; it gets a libpq keyword connection string for the new database.
    /// - Returns: What `body` returns.
    public static func withFresh<T>(migrated: Bool = true, _ body: (String) async throws -> T) async throws -> T {
        let admin = try adminConninfo()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let adminConnection = try await PostgresConnection.connect(admin, logger: .test)
        // Identifiers cannot be parameters; `name` is built here from hex digits only.
        try await adminConnection.execute("CREATE DATABASE \(name)")
        let conninfo = admin + " dbname=\(name)"
        do {
            if migrated {
                let connection = try await PostgresConnection.connect(conninfo, logger: .test)
                try await Migrator(logger: .test).migrate(connection)
                await connection.close()
            }
            let value = try await body(conninfo)
            try await adminConnection.execute("DROP DATABASE \(name) WITH (FORCE)")
            await adminConnection.close()
            return value
        } catch {
            _ = try? await adminConnection.execute("DROP DATABASE \(name) WITH (FORCE)")
            await adminConnection.close()
            throw error
        }
    }

    /// Opens a connection, runs `body`, closes it.
    public static func withConnection<T>(_ conninfo: String, _ body: (PostgresConnection) async throws -> T)
        async throws -> T
    {
        let connection = try await PostgresConnection.connect(conninfo, logger: .test)
        return try await asyncDo {
            try await body(connection)
        } finally: { _ in
            await connection.close()
        }
    }

    /// Runs `body` with a connection pool of `maximum` connections, closed afterwards.
    public static func withPool<T: Sendable>(
        _ conninfo: String, maximum: Int = 4, _ body: (PostgresConnectionPool) async throws -> T
    ) async throws -> T {
        try await PostgresConnectionPool.withPool(conninfo: conninfo, maximum: maximum, logger: .test) { pool in
            try await body(pool)
        }
    }
}

/// The test environment is not set up as the tests need.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Logger {
    /// A logger for tests: warnings and worse only, so test output stays readable.
    public static var test: Logger {
        var logger = Logger(label: "provisioner.test")
        logger.logLevel = .warning
        return logger
    }
}
