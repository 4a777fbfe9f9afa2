import CLibPQ
import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq connection, whose blocking calls all run on a private serial queue, never on Swift's cooperative pool.
///
/// Use a connection from one task at a time (a transaction is a sequence of calls); open one connection per
/// concurrent worker. Every libpq behaviour psql users rely on is kept: an empty connection string means libpq's own
/// defaults (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSERVICE`, `~/.pgpass`, `sslmode`, ...).
public final class PostgresConnection: @unchecked Sendable {
    // `handle` is read and written only on `queue`; that is what makes the unchecked Sendable sound.
    private let queue: DispatchQueue
    private var handle: OpaquePointer?
    private let conninfo: String
    private let logger: Logger

    private init(queue: DispatchQueue, handle: OpaquePointer, conninfo: String, logger: Logger) {
        self.queue = queue
        self.handle = handle
        self.conninfo = conninfo
        self.logger = logger
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Opens a connection.
    /// - Parameters:
    ///   - conninfo: A libpq connection string (`host=... dbname=...`) or URI (`postgresql://...`); empty for libpq's
    ///     defaults from the environment.
    ///   - logger: Where connection events go (never with credentials).
    /// - Throws: ``PostgresError`` (connection failed) with libpq's message, the password scrubbed out.
    public static func connect(_ conninfo: String = "", logger: Logger = Logger(label: "provisioner.postgres"))
        async throws -> PostgresConnection
    {
        let queue = DispatchQueue(label: "provisioner.postgres.connection")
        let handle = try await onQueue(queue) { try open(conninfo).value }
        logger.debug(
            "connected to PostgreSQL", metadata: ["db.server_version": .stringConvertible(PQserverVersion(handle))])
        return PostgresConnection(queue: queue, handle: handle, conninfo: conninfo, logger: logger)
    }

    /// Closes the old connection, if any, and opens a new one with the same connection string.
    /// - Throws: ``PostgresError`` (connection failed) when the server still cannot be reached.
    public func reconnect() async throws {
        try await Self.onQueue(queue) { [self] in
            if let handle { PQfinish(handle) }
            handle = nil
            handle = try Self.open(conninfo).value
        }
        logger.info("reconnected to PostgreSQL")
    }

    /// Closes the connection; later calls throw ``PostgresError/closed``.
    public func close() async {
        try? await Self.onQueue(queue) { [self] in
            if let handle { PQfinish(handle) }
            handle = nil
        }
    }

    /// Whether libpq still considers the connection usable (it learns of a broken one only when it next uses it).
    public var isConnected: Bool {
        get async {
            (try? await Self.onQueue(queue) { [self] in handle.map { PQstatus($0) == CONNECTION_OK } ?? false })
                ?? false
        }
    }

    // MARK: - Statements

    /// Runs one parameterised statement and returns its rows.
    /// - Parameters:
    ///   - sql: One SQL statement with `$1`, `$2`, ... placeholders. Values never go into the SQL text.
    ///   - parameters: The values for the placeholders; `nil` optionals are sent as NULL.
    /// - Returns: The rows (empty for statements that return none).
    /// - Throws: ``PostgresError`` with the SQLSTATE, message and statement.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> [PostgresRow] {
        let texts = parameters.map(\.postgresText)
        return try await withHandle { handle in
            let result = try Self.execParams(handle, sql, texts)
            defer { PQclear(result) }
            try Self.check(result, handle, sql)
            return Self.rows(of: result!)
        }
    }

    /// Runs one parameterised statement that returns no rows.
    /// - Returns: The number of rows it inserted, updated or deleted.
    /// - Throws: ``PostgresError`` with the SQLSTATE, message and statement.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        let texts = parameters.map(\.postgresText)
        return try await withHandle { handle in
            let result = try Self.execParams(handle, sql, texts)
            defer { PQclear(result) }
            try Self.check(result, handle, sql)
            return Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs a script of several statements with no parameters (migration files); libpq runs it as one implicit
    /// transaction unless the script has its own BEGIN/COMMIT.
    /// - Throws: ``PostgresError`` for the first statement that fails.
    public func executeScript(_ sql: String) async throws {
        try await withHandle { handle in
            let result = PQexec(handle, sql)
            defer { PQclear(result) }
            try Self.check(result, handle, sql)
        }
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    /// - Parameter body: The work; it gets this connection back for convenience.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (after the rollback), or ``PostgresError`` from BEGIN/COMMIT.
    public func transaction<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await execute("BEGIN")
        let value: T
        do {
            value = try await body(self)
        } catch {
            if (error as? PostgresError)?.isConnectionProblem != true {
                do { try await execute("ROLLBACK") } catch {
                    logger.warning("ROLLBACK failed", metadata: ["error": "\(error)"])
                }
            }
            throw error
        }
        try await execute("COMMIT")
        return value
    }

    // MARK: - COPY

    /// Streams rows into the server with `COPY ... FROM STDIN` (text or CSV format, as the statement says).
    /// - Parameters:
    ///   - sql: The COPY statement, e.g. `COPY t (a, b) FROM STDIN`.
    ///   - body: Writes the data through the writer; the writer buffers and sends it in large chunks. Throwing
    ///     aborts the COPY (nothing of it is kept).
    /// - Returns: The number of rows copied.
    /// - Throws: ``PostgresError`` (COPY failed) or what `body` throws.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (CopyInWriter) async throws -> Void) async throws -> Int {
        try await withHandle { handle in
            let result = PQexec(handle, sql)
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COPY_IN else {
                try Self.check(result, handle, sql)
                throw PostgresError.copyFailed(
                    sqlState: nil, message: "the statement did not start COPY FROM STDIN",
                    statement: sql)
            }
        }
        let writer = CopyInWriter(connection: self)
        do {
            try await body(writer)
            try await writer.flush()
        } catch {
            _ = try? await finishCopy(sql, abortMessage: "aborted by the client: \(error)")
            throw error
        }
        return try await finishCopy(sql, abortMessage: nil)
    }

    func sendCopyData(_ bytes: [UInt8]) async throws {
        try await withHandle { handle in
            let status = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    PQputCopyData(handle, $0, Int32(buffer.count))
                }
            }
            guard status == 1 else {
                throw PostgresError.connectionLost(Self.errorMessage(handle), statement: "COPY data")
            }
        }
    }

    private func finishCopy(_ sql: String, abortMessage: String?) async throws -> Int {
        try await withHandle { handle in
            guard PQputCopyEnd(handle, abortMessage) == 1 else {
                throw PostgresError.connectionLost(Self.errorMessage(handle), statement: sql)
            }
            var copied = 0
            var failure: PostgresError?
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                if PQresultStatus(result) == PGRES_COMMAND_OK {
                    copied = Int(String(cString: PQcmdTuples(result))) ?? 0
                } else if failure == nil {
                    let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
                    failure =
                        PQstatus(handle) == CONNECTION_BAD
                        ? .connectionLost(Self.errorMessage(handle), statement: sql)
                        : .copyFailed(
                            sqlState: field(CLibPQ_DIAG_SQLSTATE),
                            message: field(CLibPQ_DIAG_MESSAGE_PRIMARY) ?? Self.errorMessage(handle), statement: sql)
                }
            }
            if let failure { throw failure }
            return copied
        }
    }

    // MARK: - libpq plumbing (runs on `queue`)

    private func withHandle<T>(_ work: @escaping (OpaquePointer) throws -> T) async throws -> T {
        nonisolated(unsafe) let work = work
        return try await Self.onQueue(queue) { [self] in
            guard let handle else { throw PostgresError.closed }
            return try work(handle)
        }
    }

    /// Runs blocking work on the connection's queue and resumes the caller with its result.
    private static func onQueue<T>(_ queue: DispatchQueue, _ work: @escaping () throws -> T) async throws -> T {
        nonisolated(unsafe) let work = work
        let box: UncheckedBox<T> = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { UncheckedBox(try work()) })
            }
        }
        return box.value
    }

    private static func open(_ conninfo: String) throws -> UncheckedBox<OpaquePointer> {
        guard let handle = PQconnectdb(conninfo) else {
            throw PostgresError.connectionFailed("libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = ConnectionString.scrub(errorMessage(handle), conninfo: conninfo)
            PQfinish(handle)
            throw PostgresError.connectionFailed(message)
        }
        PQsetNoticeProcessor(handle, { _, _ in }, nil)  // notices ("already exists, skipping") are not errors
        // Timestamps travel as text: fix their format so parsing never depends on the server's settings.
        let result = PQexec(handle, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET client_encoding = 'UTF8'")
        defer { PQclear(result) }
        try check(result, handle, "SET TimeZone/DateStyle")
        return UncheckedBox(handle)
    }

    /// - Throws: ``PostgresError/containsNUL(_:statement:)`` for a text with a NUL byte (a C string would end there
    ///   and the value would be cut silently); nothing is sent then.
    private static func execParams(_ handle: OpaquePointer, _ sql: String, _ texts: [String?]) throws -> OpaquePointer?
    {
        if let index = texts.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            throw PostgresError.containsNUL("parameter $\(index + 1)", statement: sql)
        }
        // strdup'd copies keep every C string alive for the duration of the call.
        let cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        return cStrings.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            PQexecParams(handle, sql, Int32(texts.count), nil, values.baseAddress, nil, nil, 0)
        }
    }

    private static func check(_ result: OpaquePointer?, _ handle: OpaquePointer, _ sql: String) throws {
        let status = result.map { PQresultStatus($0) } ?? PGRES_FATAL_ERROR
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return
        default:
            if result == nil || PQstatus(handle) == CONNECTION_BAD {
                throw PostgresError.connectionLost(errorMessage(handle), statement: sql)
            }
            let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
            throw PostgresError.queryFailed(
                sqlState: field(CLibPQ_DIAG_SQLSTATE),
                message: field(CLibPQ_DIAG_MESSAGE_PRIMARY) ?? errorMessage(handle),
                constraint: field(CLibPQ_DIAG_CONSTRAINT_NAME),
                statement: sql)
        }
    }

    private static func rows(of result: OpaquePointer) -> [PostgresRow] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = PostgresColumns(names: (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) })
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                values.append(
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column)))
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        return rows
    }

    static func errorMessage(_ handle: OpaquePointer) -> String {
        let raw = PQerrorMessage(handle).map { String(cString: $0) } ?? "unknown libpq error"
        // libpq ends messages with a newline and indents hints with a tab: make it one readable line.
        return raw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Carries a non-Sendable value across the queue hop; only used for values confined to the connection's queue.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
