import Logging
import Postgres

/// Applies the embedded migrations: each in its own transaction, recorded in `schema_migrations`, under an advisory
/// lock so that two `provisioner migrate` at once apply each file exactly once.
public struct Migrator: Sendable {
    /// The migrations to apply. Defaults to every file of `sql/`, embedded at build time.
    public var migrations: [Migration]
    private let logger: Logger

    /// The key of the session-level advisory lock `migrate` holds while it works.
    static let advisoryLockKey: Int64 = 0x7072_6f76_6973_696f  // "provisio"

    public init(migrations: [Migration] = Migration.embedded, logger: Logger) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The newest version this build knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration not yet applied.
    /// - Parameter connection: A connection with the right to create tables in the target schema.
    /// - Returns: The versions applied now (empty when the schema was already up to date).
    /// - Throws: ``MigrationError`` when an applied file has changed since, or ``PostgresError`` when a statement fails
    ///   (that file's transaction is rolled back; earlier files stay applied).
    @discardableResult
    public func migrate(_ connection: PostgresConnection) async throws -> [Int] {
        try await connection.execute("SELECT pg_advisory_lock($1)", [Self.advisoryLockKey])
        do {
            let applied = try await migrateLocked(connection)
            try await connection.execute("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey])
            return applied
        } catch {
            _ = try? await connection.execute("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey])
            throw error
        }
    }

    private func migrateLocked(_ connection: PostgresConnection) async throws -> [Int] {
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var known: [Int: String] = [:]
        for row in try await connection.query("SELECT version, checksum FROM schema_migrations") {
            known[try row.decode("version")] = try row.decode("checksum")
        }
        var applied: [Int] = []
        for migration in migrations {
            if let checksum = known[migration.version] {
                guard checksum == migration.checksum else { throw MigrationError.changedAfterApplying(migration) }
                continue
            }
            try await connection.transaction { connection in
                try await connection.executeScript(migration.sql)
                try await connection.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum])
            }
            logger.info(
                "applied migration",
                metadata: [
                    "migration.version": .stringConvertible(migration.version), "migration.name": "\(migration.name)",
                ])
            applied.append(migration.version)
        }
        return applied
    }

    /// The newest applied version, or `nil` when the schema was never migrated.
    /// - Throws: ``PostgresError`` when the database cannot be read.
    public static func currentVersion(_ connection: PostgresConnection) async throws -> Int? {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode("present", as: Bool.self) == true else { return nil }
        return try await connection.query("SELECT max(version) AS version FROM schema_migrations").first?
            .decode("version", as: Int?.self)
    }
}

/// A migration problem that is not a plain SQL error.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    static func changedAfterApplying(_ migration: Migration) -> MigrationError {
        MigrationError(
            description: "migration \(migration.version) (\(migration.name)) was edited after it was applied; "
                + "add a new numbered file to sql/ instead of changing an applied one")
    }
}
