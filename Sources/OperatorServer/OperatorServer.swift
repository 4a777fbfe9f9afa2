import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import Webhooks

/// `provisioner serve` and `provisioner webhooks`: one Hummingbird application that receives Veriff's webhooks,
/// answers the health check, and — with a dashboard token — serves `/metrics` and the dashboard.
///
/// It runs as a swift-service-lifecycle `Service` in a `ServiceGroup`: a graceful shutdown (SIGINT/SIGTERM, or the
/// end of ``withOperatorServer(configuration:database:receiverStore:logger:_:)``'s body) stops accepting, lets the
/// requests in flight finish within ``WebhookConfiguration/shutdownGracePeriod``, then cancels what is left.
public struct OperatorServer: Sendable {
    /// The address the server listens on, once it does.
    public struct Address: Sendable, Hashable {
        /// The host bound.
        public var host: String
        /// The port bound (the one the system picked when the configuration asked for `0`).
        public var port: Int

        /// `http://host:port`, with IPv6 hosts in brackets.
        public var baseURL: String {
            host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        }
    }

    private let configuration: OperatorServerConfiguration
    private let database: any OperatorDatabase
    private let store: any WebhookStore
    private let logger: Logger

    /// - Parameters:
    ///   - configuration: Address, paths, credentials, limits.
    ///   - database: Health and metrics.
    ///   - store: Where webhooks are recorded.
    ///   - logger: The server's lines (webhooks at info, refusals rate-limited at warning, requests at debug).
    /// - Throws: ``ConfigurationError`` for bad or clashing paths.
    public init(
        configuration: OperatorServerConfiguration, database: any OperatorDatabase, store: any WebhookStore,
        logger: Logger
    ) throws {
        try configuration.validatePaths()
        self.configuration = configuration
        self.database = database
        self.store = store
        self.logger = logger
    }

    /// Runs the server until a graceful shutdown (one of `signals`, or the group around it shutting down).
    ///
    /// - Parameters:
    ///   - signals: Signals that start a graceful shutdown. Defaults to SIGTERM and SIGINT.
    ///   - onReady: Called once the server listens (print the "listening on" line here).
    /// - Throws: The bind error, or a service's error.
    public func run(
        gracefulShutdownSignals signals: [UnixSignal] = [.sigterm, .sigint],
        onReady: @escaping @Sendable (Address) async -> Void
    ) async throws {
        let (group, refusalLog) = makeServiceGroup(signals: signals, onReady: onReady)
        defer { refusalLog.flush() }
        try await group.run()
    }

    /// The application in a service group, and the refusal log to flush when it ends.
    func makeServiceGroup(
        signals: [UnixSignal], onReady: @escaping @Sendable (Address) async -> Void
    ) -> (ServiceGroup, RefusalLog<ContinuousClock>) {
        let metrics = ServerMetrics()
        let refusalLog = RefusalLog(policy: configuration.refusalLogging, clock: ContinuousClock(), logger: logger)
        let refusals = Refusals(log: refusalLog, metrics: metrics)
        let router = Router(context: OperatorRequestContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(
            middleware: RequestSizeMiddleware(
                maximumBodySize: configuration.webhooks.maximumBodySize, refusals: refusals))
        WebhookRoutes(
            configuration: configuration,
            authenticator: WebhookAuthenticator(
                apiKey: configuration.webhooks.apiKey, sharedSecret: configuration.webhooks.sharedSecret),
            receiver: WebhookReceiver(store: store, logger: logger), refusals: refusals, metrics: metrics
        ).add(to: router)
        OperatorRoutes(
            configuration: configuration, database: database, metrics: metrics, refusalLog: refusalLog, logger: logger
        ).add(to: router)

        let limits = configuration.limits
        let host = configuration.webhooks.host
        let logger = self.logger
        let server = HTTPServerBuilder { responder in
            HardenedHTTP1Channel(
                responder: responder, limits: limits, statistics: metrics.connections, decoderLimits: .init(),
                connectionLogger: logger)
        }
        // Hummingbird's own lines (start, stop) below notice: the command prints its own.
        var frameworkLogger = logger
        frameworkLogger.logLevel = max(logger.logLevel, .notice)
        let application = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: configuration.webhooks.port), serverName: nil,
                backlog: limits.backlog, reuseAddress: true,
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maximumConnections, logger: logger)),
            onServerRunning: { channel in
                await onReady(Address(host: host, port: channel.localAddress?.port ?? configuration.webhooks.port))
            },
            logger: frameworkLogger)
        var groupConfiguration = ServiceGroupConfiguration(
            // The notice is listed last, so it hears of the shutdown first (services stop in reverse order).
            services: [.init(service: application), .init(service: ShutdownNotice(logger: logger))],
            gracefulShutdownSignals: signals, logger: frameworkLogger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.webhooks.shutdownGracePeriod
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        return (ServiceGroup(configuration: groupConfiguration), refusalLog)
    }
}

/// Runs `body` with the operator server listening, and always stops it gracefully afterwards (requests in flight
/// finish, up to the grace period), also when `body` throws.
///
/// - Parameters:
///   - configuration: Address, paths, credentials, limits.
///   - database: Health and metrics.
///   - store: Where webhooks are recorded.
///   - logger: The server's lines.
///   - body: Uses the running server's address.
/// - Returns: What `body` returns.
/// - Throws: A configuration or bind error, or what `body` throws.
public func withOperatorServer<Result: Sendable>(
    configuration: OperatorServerConfiguration, database: any OperatorDatabase, store: any WebhookStore,
    logger: Logger, _ body: (OperatorServer.Address) async throws -> Result
) async throws -> Result {
    let server = try OperatorServer(configuration: configuration, database: database, store: store, logger: logger)
    let (ready, readyContinuation) = AsyncStream<OperatorServer.Address>.makeStream()
    let (group, refusalLog) = server.makeServiceGroup(signals: []) { address in
        readyContinuation.yield(address)
        readyContinuation.finish()
    }
    defer { refusalLog.flush() }
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { readyContinuation.finish() }
            try await group.run()
        }
        var addresses = ready.makeAsyncIterator()
        guard let address = await addresses.next() else {
            // The server never listened: its error (the bind error) ends the group.
            try await tasks.waitForAll()
            throw OperatorServerError.notStarted
        }
        let result: Result
        do {
            result = try await body(address)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// The server stopped before it listened, without saying why.
public struct OperatorServerError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    static let notStarted = OperatorServerError(description: "the operator server stopped before it listened")
}

/// Says, once a graceful shutdown starts, that the server is stopping and lets requests in flight finish.
private struct ShutdownNotice: Service {
    let logger: Logger

    func run() async throws {
        try await gracefulShutdown()
        logger.info("stopping: in-flight webhooks finish first")
    }
}
