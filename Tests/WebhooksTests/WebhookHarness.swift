import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import OperatorServer
import Postgres
import TestSupport
import Testing
import VeriffAPI
import Webhooks

/// A running receiver on loopback, over a fresh database, with a client to post to it.
struct WebhookHarness: Sendable {
    let baseURL: String
    let db: PostgresConnection
    let http: HTTPClient
    let logs: InMemoryLogHandler
    let configuration: WebhookConfiguration

    static let bodyLimit = 8192

    static func configuration(port: Int = 0) -> WebhookConfiguration {
        WebhookConfiguration(
            host: "127.0.0.1", port: port, maximumBodySize: bodyLimit, shutdownGracePeriod: .seconds(2),
            sharedSecret: WebhookSecret(WebhookFixtures.sharedSecret), apiKey: APIKey(StandInTesting.apiKey))
    }

    /// Starts a database, a store, the receiver and a client; tears all down after `body`.
    static func run(_ body: (WebhookHarness) async throws -> Void) async throws {
        try await TestDatabase.withFresh { conninfo in
            let logs = InMemoryLogHandler()
            var logger = Logger(label: "test.webhooks", factory: { _ in logs })
            logger.logLevel = .info
            try await withPostgresWebhookStore(conninfo: conninfo, logger: logger) { store in
                let configuration = Self.configuration()
                try await withWebhookServer(configuration: configuration, store: store, logger: logger) { server in
                    try await TestDatabase.withConnection(conninfo) { db in
                        try await withClient { http in
                            try await body(
                                WebhookHarness(
                                    baseURL: server.baseURL, db: db, http: http, logs: logs,
                                    configuration: configuration))
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` with an HTTP client that is always shut down.
    static func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(http)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// The answer to one request.
    struct Answer {
        var status: Int
        var body: String
    }

    /// Posts `body` signed with openssl, unless a signature (or `nil` for none) is given.
    func post(
        _ path: String, _ body: String, signature: Signature = .openssl, apiKey: String? = StandInTesting.apiKey
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "X-AUTH-CLIENT", value: apiKey) }
        switch signature {
        case .openssl:
            request.headers.add(name: "X-HMAC-SIGNATURE", value: try await WebhookFixtures.opensslSignature(body))
        case .given(let value):
            request.headers.add(name: "X-HMAC-SIGNATURE", value: value)
        case .none:
            break
        }
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    /// How to sign a request.
    enum Signature {
        case openssl
        case given(String)
        case none
    }

    func get(_ path: String) async throws -> Answer {
        try await send(HTTPClientRequest(url: baseURL + path))
    }

    private func send(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: bytes))
    }

    /// The webhook paths of the default configuration.
    static let decision = "/webhooks/decision"
    static let event = "/webhooks/event"
}

/// The operator server as the webhook receiver (`provisioner webhooks`: the dashboard off), listening on loopback
/// while `body` runs, over `store`.
func withWebhookServer<Result: Sendable>(
    configuration: WebhookConfiguration, store: PostgresWebhookStore, logger: Logger,
    _ body: (OperatorServer.Address) async throws -> Result
) async throws -> Result {
    try await withOperatorServer(
        configuration: OperatorServerConfiguration(webhooks: configuration), database: store, store: store,
        logger: logger, body)
}
