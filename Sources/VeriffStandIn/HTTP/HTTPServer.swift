import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The stand-in's minimal HTTP/1.1 server on SwiftNIO: keep-alive, pipelining, a body size limit, an async responder,
/// injected latency and connection resets, and a graceful shutdown that lets in-flight requests finish. (The
/// provisioner's own server is `OperatorServer`, on Hummingbird; this one stays for what a framework hides.)
///
/// Prefer ``withHTTPServer(configuration:logger:responder:_:)``, which always shuts the server down.
public final class HTTPServer: Sendable {
    /// The address bound.
    public let host: String
    /// The port bound (the one the system picked when the configuration asked for `0`).
    public let port: Int
    private let serverChannel: any Channel
    private let connections: ConnectionRegistry
    private let configuration: HTTPServerConfiguration
    private let logger: Logger

    private init(
        serverChannel: any Channel, connections: ConnectionRegistry, configuration: HTTPServerConfiguration,
        logger: Logger
    ) {
        self.serverChannel = serverChannel
        self.connections = connections
        self.configuration = configuration
        self.logger = logger
        self.host = configuration.host
        self.port = serverChannel.localAddress?.port ?? configuration.port
    }

    /// Binds and starts serving.
    ///
    /// - Parameters:
    ///   - configuration: Host, port (0 = any free port), body limit, shutdown grace period.
    ///   - logger: For connection errors (debug level).
    ///   - responder: Answers each request.
    /// - Returns: The running server; call ``shutdown()`` when done.
    /// - Throws: The bind error (address in use, bad host).
    public static func start(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(), logger: Logger,
        responder: some HTTPResponder
    ) async throws -> HTTPServer {
        let connections = ConnectionRegistry()
        let maximumBodySize = configuration.maximumBodySize
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: configuration.backlog)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true, withErrorHandling: true
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPServerHandler(
                            responder: responder, maximumBodySize: maximumBodySize, registry: connections,
                            logger: logger
                        )
                    )
                    connections.add(channel)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        let server = HTTPServer(
            serverChannel: channel, connections: connections, configuration: configuration, logger: logger
        )
        logger.debug(
            "HTTP server listening",
            metadata: ["http.host": "\(server.host)", "http.port": .stringConvertible(server.port)])
        return server
    }

    /// `http://host:port`, with IPv6 hosts in brackets.
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), then closes every connection.
    ///
    /// Idle keep-alive connections are closed at once. Safe to call twice.
    public func shutdown() async throws {
        do {
            try await serverChannel.close()
        } catch ChannelError.alreadyClosed {
            // A second shutdown: the listener is already gone.
        }
        let open = connections.all()
        let grace = TimeAmount(configuration.shutdownGracePeriod)
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            channel.eventLoop.scheduleTask(in: grace) { channel.close(promise: nil) }
        }
        for channel in open {
            try? await channel.closeFuture.get()
        }
        // Responders still running (their connection is gone) are cancelled and awaited: none outlives shutdown.
        await connections.cancelAndAwaitResponders()
        logger.debug("HTTP server stopped", metadata: ["http.port": .stringConvertible(port)])
    }
}

/// Runs `body` with a started server and always shuts it down, also when `body` throws.
///
/// - Parameters:
///   - configuration: See ``HTTPServerConfiguration``.
///   - logger: For the server's own messages.
///   - responder: Answers each request.
///   - body: Uses the server (its ``HTTPServer/port`` and ``HTTPServer/baseURL``).
/// - Returns: What `body` returns.
public func withHTTPServer<Result: Sendable>(
    configuration: HTTPServerConfiguration = HTTPServerConfiguration(), logger: Logger,
    responder: some HTTPResponder, _ body: (HTTPServer) async throws -> Result
) async throws -> Result {
    let server = try await HTTPServer.start(configuration: configuration, logger: logger, responder: responder)
    let result: Result
    do {
        result = try await body(server)
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
    return result
}

/// The open connections and running responder tasks, so that shutdown can quiesce and await them.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var nextTaskID: UInt64 = 0
    }

    private let state = Mutex(State())

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { $0.channels[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLock { $0.channels.removeValue(forKey: id) }
        }
    }

    func all() -> [any Channel] {
        state.withLock { Array($0.channels.values) }
    }

    /// Runs `work` in a task that is tracked until it ends.
    ///
    /// Why an unstructured task stays here (the conventions ask for task groups): this server's lifecycle is the
    /// pair ``HTTPServer/start(configuration:logger:responder:)`` / ``HTTPServer/shutdown()``, which the stand-in
    /// (`VeriffStandIn.start`, `provisioner mock-veriff`, TestSupport's `withStandIn`, the benchmarks) exposes as is:
    /// between the two calls no task of the server's is running, so there is no parent to hang a child task on. A
    /// structured version needs the stand-in's API turned into a scope (`withVeriffStandIn { }`) in every caller, and
    /// NIOAsyncChannel per connection, which costs the event-loop fast path its thread hops. What keeps this one
    /// safe instead: only responders that cannot answer on the event loop get here — the stand-in always answers in
    /// ``HTTPResponder/respondImmediately(to:)``, so in practice only test responders do — every task is recorded
    /// under the lock before it can finish, and ``cancelAndAwaitResponders()`` cancels and awaits each one in
    /// ``HTTPServer/shutdown()``: none outlives the server.
    func run(_ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            let id = state.nextTaskID
            state.nextTaskID += 1
            // Created under the lock, so the task's own removal cannot run before its insertion.
            state.tasks[id] = Task { [self] in
                await work()
                _ = self.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }

    /// Cancels every running responder task and waits for each to end.
    func cancelAndAwaitResponders() async {
        let tasks = state.withLock { Array($0.tasks.values) }
        for task in tasks {
            task.cancel()
            await task.value
        }
    }
}
