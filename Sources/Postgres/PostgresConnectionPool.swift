import Logging
import Support

/// The one way every part of the provisioner reaches PostgreSQL: a few connections, each lent to one task at a time.
///
/// Connections open on demand up to ``maximum`` and stay open while idle. A connection that broke is dropped, so the
/// next lease opens a fresh one: the pool recovers by itself when the server comes back. With a
/// ``ReconnectPolicy`` the pool also retries an operation whose connection was lost (see
/// ``withConnection(retrying:isolation:_:)``), the only place the project retries a lost connection.
///
/// Prefer ``withPool(conninfo:maximum:logger:isolation:_:)``, which always closes the connections.
public final class PostgresConnectionPool: Sendable {
    /// The libpq connection string ("" for libpq's defaults: `PGHOST`, `PGPORT`, ...). Never logged: it may hold a
    /// password.
    public let conninfo: String
    /// The most connections open at once.
    public let maximum: Int
    private let logger: Logger
    private let connections: Connections

    /// - Parameters:
    ///   - conninfo: A libpq connection string or URI; empty for libpq's defaults.
    ///   - maximum: The most connections open at once (at least 1).
    ///   - logger: For connection events (never with credentials).
    public init(conninfo: String, maximum: Int, logger: Logger) {
        self.conninfo = conninfo
        self.maximum = max(1, maximum)
        self.logger = logger
        self.connections = Connections(conninfo: conninfo, maximum: max(1, maximum), logger: logger)
    }

    /// Runs `body` with a pool and always closes its connections afterwards.
    /// - Parameters:
    ///   - conninfo: A libpq connection string or URI; empty for libpq's defaults.
    ///   - maximum: The most connections open at once.
    ///   - logger: For connection events.
    ///   - body: Uses the pool.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public static func withPool<T>(
        conninfo: String, maximum: Int, logger: Logger, isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnectionPool) async throws -> sending T
    ) async throws -> sending T {
        let pool = PostgresConnectionPool(conninfo: conninfo, maximum: maximum, logger: logger)
        return try await asyncDo {
            try await body(pool)
        } finally: { _ in
            await pool.close()
        }
    }

    /// Lends a connection to `body` and takes it back afterwards (dropping it when it broke).
    /// - Parameter body: One task's use of the connection; a transaction must begin and end inside it.
    /// - Returns: What `body` returns.
    /// - Throws: ``PostgresError`` when no connection can be opened, or what `body` throws.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation, _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        let connection = try await connections.lease()
        do {
            let value = try await body(connection)
            await connections.giveBack(connection, broken: false)
            return value
        } catch {
            let broken = (error as? PostgresError)?.isConnectionProblem ?? false
            if broken { await connection.close() }
            await connections.giveBack(connection, broken: broken)
            throw error
        }
    }

    /// Like ``withConnection(isolation:_:)``, but an operation whose connection was lost runs again on a fresh
    /// connection, with the delays of `policy`, until it succeeds or the policy gives up.
    ///
    /// Only for operations that are safe to repeat after an unknown outcome (one statement, or a transaction that
    /// rolled back with the connection).
    /// - Parameters:
    ///   - policy: How long and how often to try.
    ///   - body: The operation.
    /// - Returns: What `body` returns.
    /// - Throws: The last connection problem when the policy gave up, or the first error that is not one.
    public func withConnection<T>(
        retrying policy: ReconnectPolicy, isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        var delays = policy.delays()
        while true {
            do {
                return try await withConnection(body)
            } catch let error as PostgresError where error.isConnectionProblem {
                guard let delay = delays.next() else { throw error }
                logger.warning(
                    "database connection lost; reconnecting",
                    metadata: ["error": "\(error.message)", "retry.delay_ms": "\(delay / .milliseconds(1))"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Runs one statement on a pooled connection and returns its rows.
    /// - Parameters:
    ///   - sql: One statement with `$1`, `$2`, ... placeholders.
    ///   - parameters: The values for the placeholders.
    ///   - policy: How to retry when the connection is lost (the statement must be safe to repeat); `nil` for no
    ///     retry.
    /// - Returns: The rows.
    /// - Throws: ``PostgresError``.
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], retrying policy: ReconnectPolicy? = nil
    ) async throws -> [PostgresRow] {
        guard let policy else { return try await withConnection { try await $0.query(sql, parameters) } }
        return try await withConnection(retrying: policy) { try await $0.query(sql, parameters) }
    }

    /// Runs one statement that returns no rows on a pooled connection.
    /// - Returns: The number of rows it inserted, updated or deleted.
    /// - Throws: ``PostgresError``.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], retrying policy: ReconnectPolicy? = nil
    ) async throws -> Int {
        guard let policy else { return try await withConnection { try await $0.execute(sql, parameters) } }
        return try await withConnection(retrying: policy) { try await $0.execute(sql, parameters) }
    }

    /// Closes every idle connection (a leased one is closed when it comes back); later leases fail with
    /// ``PostgresError/closed``.
    public func close() async {
        await connections.close()
    }
}

/// The pool's bookkeeping: idle connections, how many are open, and the tasks waiting for one.
private actor Connections {
    private let conninfo: String
    private let maximum: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    /// Tasks waiting for a connection: resumed with one, or with `nil` to open their own in a freed slot.
    private var waiters: [CheckedContinuation<PostgresConnection?, Never>] = []
    private var closed = false

    init(conninfo: String, maximum: Int, logger: Logger) {
        self.conninfo = conninfo
        self.maximum = maximum
        self.logger = logger
    }

    func close() async {
        closed = true
        let connections = idle
        idle.removeAll()
        open -= connections.count
        for connection in connections { await connection.close() }
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    func lease() async throws -> PostgresConnection {
        guard !closed else { throw PostgresError.closed }
        if let connection = idle.popLast() { return connection }
        if open < maximum {
            open += 1
            return try await connect()
        }
        if let connection = await withCheckedContinuation({ waiters.append($0) }) { return connection }
        // Handed the right to open one (a broken connection was dropped), or the pool closed.
        guard !closed else { throw PostgresError.closed }
        return try await connect()
    }

    /// Opens a connection for a slot already counted in `open`; gives the slot back when that fails.
    private func connect() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(conninfo, logger: logger)
        } catch {
            releaseSlot()
            throw error
        }
    }

    func giveBack(_ connection: PostgresConnection, broken: Bool) async {
        if broken {
            releaseSlot()
        } else if closed {
            open -= 1
            await connection.close()
        } else if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// A slot freed: a waiter may open its own connection in it.
    private func releaseSlot() {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: nil)
        } else {
            open -= 1
        }
    }
}
