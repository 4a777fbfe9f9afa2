import Logging
import Postgres

/// A few PostgreSQL connections shared by concurrent requests: each is used by one task at a time.
///
/// Connections are opened on demand up to ``maximum``; a connection that broke is dropped (the next lease opens a
/// fresh one, so the pool recovers by itself when the server comes back).
actor ConnectionPool {
    let conninfo: String
    let maximum: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    /// Tasks waiting for a connection; resumed with one, or with `nil` to open their own.
    private var waiters: [CheckedContinuation<PostgresConnection?, Never>] = []
    private var closed = false

    init(conninfo: String, maximum: Int, logger: Logger) {
        self.conninfo = conninfo
        self.maximum = max(1, maximum)
        self.logger = logger
    }

    /// Runs `body` with a leased connection and returns it to the pool (dropped when the connection broke).
    func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let value = try await body(connection)
            give(back: connection, broken: false)
            return value
        } catch {
            let broken = (error as? PostgresError)?.isConnectionProblem ?? false
            if broken { await connection.close() }
            give(back: connection, broken: broken)
            throw error
        }
    }

    /// Closes every idle connection; later leases fail.
    func close() async {
        closed = true
        let connections = idle
        idle.removeAll()
        open -= connections.count
        for connection in connections { await connection.close() }
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    private func lease() async throws -> PostgresConnection {
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

    private func give(back connection: PostgresConnection, broken: Bool) {
        if broken {
            releaseSlot()
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
