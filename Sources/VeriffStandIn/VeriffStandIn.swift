import Logging

/// A local stand-in for Veriff's POST /v1/sessions: strict where Veriff is strict, with a sliding-window cap,
/// latency and faults, and statistics of what it saw. For the demo, the tests and the benchmarks.
public final class VeriffStandIn: Sendable {
    public let configuration: StandInConfiguration
    /// When the stand-in started: the origin of ``StandInSession/arrival``.
    public let startInstant: ContinuousClock.Instant
    private let server: HTTPServer
    private let responder: StandInResponder

    private init(server: HTTPServer, responder: StandInResponder) {
        self.server = server
        self.responder = responder
        self.configuration = responder.configuration
        self.startInstant = responder.start
    }

    /// Starts serving on `host:port`.
    ///
    /// - Parameters:
    ///   - host: The address to bind. Defaults to `127.0.0.1`.
    ///   - port: The port; `0` picks a free one (see ``port``). Defaults to `0`.
    ///   - configuration: Key, cap, latency, faults.
    ///   - logger: For the server's own messages.
    /// - Returns: The running stand-in; call ``shutdown()`` when done.
    /// - Throws: The bind error.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, configuration: StandInConfiguration, logger: Logger
    ) async throws -> VeriffStandIn {
        let responder = StandInResponder(configuration: configuration)
        let server = try await HTTPServer.start(
            configuration: HTTPServerConfiguration(host: host, port: port, shutdownGracePeriod: .seconds(1)),
            logger: logger, responder: responder
        )
        return VeriffStandIn(server: server, responder: responder)
    }

    /// `http://127.0.0.1:PORT`: the base URL to give the client (it appends `/v1/sessions`).
    public var baseURL: String { server.baseURL }

    /// The port bound.
    public var port: Int { server.port }

    /// What the stand-in saw so far.
    ///
    /// - Parameter includeSessions: Include every created session (with arrival times). Defaults to `true`.
    public func stats(includeSessions: Bool = true) -> StandInStats {
        responder.stats(includeSessions: includeSessions)
    }

    /// The next `count` session requests get 429, with `Retry-After: retryAfter` when given (seconds or a date).
    public func force429(count: Int, retryAfter: String?) {
        responder.force(status: 429, count: count, retryAfter: retryAfter)
    }

    /// The next `count` session requests get `status` with a Veriff-shaped body (e.g. 403, 404, 502).
    public func force(status: Int, count: Int = 1) {
        responder.force(status: status, count: count, retryAfter: nil)
    }

    /// Stops accepting and closes every connection (in-flight answers get up to a second).
    public func shutdown() async throws {
        try await server.shutdown()
    }
}
