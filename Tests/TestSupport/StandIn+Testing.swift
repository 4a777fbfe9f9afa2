import AsyncHTTPClient
import Logging
import VeriffAPI
import VeriffStandIn

/// Test defaults for the Veriff stand-in.
public enum StandInTesting {
    /// The API key every test stand-in accepts (a UUID, as Veriff's are).
    public static let apiKey = "6a0d1c59-3f0e-4e7a-9b4c-2f1e8d7a5c31"

    /// A stand-in configuration accepting ``apiKey``, with no cap, latency or faults unless changed.
    public static func configuration(
        cap: Int? = nil, window: Duration = .seconds(60), faults: StandInFaults = StandInFaults()
    ) -> StandInConfiguration {
        StandInConfiguration(apiKey: apiKey, cap: cap, window: window, faults: faults)
    }

    /// A client configuration pointing at `standIn` with ``apiKey``.
    public static func clientConfiguration(for standIn: VeriffStandIn) -> VeriffConfiguration {
        VeriffConfiguration(baseURL: standIn.baseURL, apiKey: APIKey(apiKey), userAgent: "provisioner-tests/0")
    }
}

/// Runs `body` with a stand-in on an ephemeral loopback port, and always shuts it down.
///
/// - Parameters:
///   - configuration: Defaults to ``StandInTesting/configuration(cap:window:faults:)``.
///   - logger: For the server's messages. Defaults to a logger that drops everything.
///   - body: Uses the stand-in (``VeriffStandIn/baseURL``, ``VeriffStandIn/stats(includeSessions:)``).
/// - Returns: What `body` returns.
public func withStandIn<Result: Sendable>(
    _ configuration: StandInConfiguration = StandInTesting.configuration(),
    logger: Logger = Logger(label: "test.standin", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (VeriffStandIn) async throws -> Result
) async throws -> Result {
    let standIn = try await VeriffStandIn.start(configuration: configuration, logger: logger)
    let result: Result
    do {
        result = try await body(standIn)
    } catch {
        try? await standIn.shutdown()
        throw error
    }
    try await standIn.shutdown()
    return result
}

/// Runs `body` with a ``VeriffClient`` on its own `HTTPClient`, and always shuts the `HTTPClient` down.
///
/// - Parameters:
///   - configuration: Where the client talks to (e.g. ``StandInTesting/clientConfiguration(for:)``).
///   - maximumConnections: The connection pool size.
///   - logger: Passed to the client.
///   - body: Uses the client.
/// - Returns: What `body` returns.
public func withVeriffClient<Result: Sendable>(
    _ configuration: VeriffConfiguration, maximumConnections: Int = 16,
    logger: Logger = Logger(label: "test.veriff", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (VeriffClient) async throws -> Result
) async throws -> Result {
    let httpClient = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: VeriffClient.httpClientConfiguration(
            maximumConnections: maximumConnections, connectTimeout: min(configuration.connectTimeout, .seconds(5))
        )
    )
    let client = VeriffClient(configuration: configuration, httpClient: httpClient, logger: logger)
    let result: Result
    do {
        result = try await body(client)
    } catch {
        try? await httpClient.shutdown()
        throw error
    }
    try await httpClient.shutdown()
    return result
}
