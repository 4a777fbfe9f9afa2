import HTTPServer
import Logging

/// Runs `body` with the webhook receiver listening, and always stops it gracefully (in-flight webhooks finish,
/// up to the grace period).
///
/// - Parameters:
///   - configuration: Address, paths, body limit, credentials.
///   - store: Where webhooks are recorded (``PostgresWebhookStore`` in production).
///   - logger: For the receiver's lines.
///   - body: Uses the running server (``HTTPServer/baseURL``, ``HTTPServer/port``).
/// - Returns: What `body` returns.
/// - Throws: The bind error, or what `body` throws.
public func withWebhookServer<Result: Sendable>(
    configuration: WebhookConfiguration, store: any WebhookStore, logger: Logger,
    _ body: (HTTPServer) async throws -> Result
) async throws -> Result {
    try configuration.validatePaths()
    let serverConfiguration = HTTPServerConfiguration(
        host: configuration.host, port: configuration.port, maximumBodySize: configuration.maximumBodySize,
        shutdownGracePeriod: configuration.shutdownGracePeriod
    )
    let responder = WebhookResponder(configuration: configuration, store: store, logger: logger)
    return try await withHTTPServer(configuration: serverConfiguration, logger: logger, responder: responder, body)
}
