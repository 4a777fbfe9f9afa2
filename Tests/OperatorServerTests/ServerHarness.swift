import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import OperatorServer
import Postgres
import TestSupport
import VeriffAPI
import Webhooks

/// The operator server in this process, on loopback, over a fresh database, with a client.
struct ServerHarness: Sendable {
    let address: OperatorServer.Address
    let db: PostgresConnection
    let http: HTTPClient
    let logs: InMemoryLogHandler
    /// The test database's connection string (for a `provisioner run` beside the server).
    let conninfo: String

    static let sharedSecret = "4f1c2b7e-serve-tests-shared-secret"
    static let apiKey = "0d5e7b1c-2a34-4c56-8e78-9a0b1c2d3e4f"
    static let dashboardToken = "dashboard-token-for-tests-0123456789"
    static let decision = "/webhooks/decision"
    static let event = "/webhooks/event"

    var baseURL: String { address.baseURL }
    var port: Int { address.port }

    static func configuration(
        limits: ConnectionLimits = ConnectionLimits(), dashboard: Bool = true, bodyLimit: Int = 1 << 20,
        refusalLogging: RefusalLogPolicy = RefusalLogPolicy()
    ) throws -> OperatorServerConfiguration {
        let webhooks = WebhookConfiguration(
            host: "127.0.0.1", port: 0, maximumBodySize: bodyLimit, shutdownGracePeriod: .seconds(5),
            sharedSecret: WebhookSecret(sharedSecret), apiKey: APIKey(apiKey))
        return OperatorServerConfiguration(
            webhooks: webhooks,
            dashboardToken: dashboard ? try DashboardToken(dashboardToken, source: "the tests") : nil,
            limits: limits, refusalLogging: refusalLogging)
    }

    /// Runs `body` with the server listening; tears everything down afterwards (the server first, so its last log
    /// lines — the refusal log's flush — are in `logs` when `after` runs).
    static func run(
        _ configuration: OperatorServerConfiguration, logLevel: Logger.Level = .info,
        _ body: (ServerHarness) async throws -> Void, after: (InMemoryLogHandler) throws -> Void = { _ in }
    ) async throws {
        try await TestDatabase.withFresh { conninfo in
            let logs = InMemoryLogHandler()
            var logger = Logger(label: "test.serve", factory: { _ in logs })
            logger.logLevel = logLevel
            try await withPostgresWebhookStore(conninfo: conninfo, logger: logger) { store in
                try await TestDatabase.withConnection(conninfo) { db in
                    try await withOperatorServer(
                        configuration: configuration, database: store, store: store, logger: logger
                    ) { address in
                        try await withClient { http in
                            try await body(
                                ServerHarness(address: address, db: db, http: http, logs: logs, conninfo: conninfo))
                        }
                    }
                }
            }
            try after(logs)
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

    /// An event webhook body.
    static func event(sessionID: String, code: Int = 7001, action: String = "started") -> String {
        """
        {"id":"\(sessionID)","attemptId":"attempt-1","feature":"selfid","code":\(code),"action":"\(action)",\
        "vendorData":null,"endUserId":null}
        """
    }

    /// The signature of `body` with the shared secret.
    static func sign(_ body: String) -> String {
        WebhookSignature.sign(body: Array(body.utf8), secret: sharedSecret)
    }

    /// Status and body of one answer.
    struct Answer: Sendable {
        var status: Int
        var body: String
    }

    /// Posts `body` to `path` with the headers given (`nil` leaves one out).
    func post(
        _ path: String, _ body: String, apiKey: String? = ServerHarness.apiKey, signature: String?? = .none
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "X-AUTH-CLIENT", value: apiKey) }
        switch signature {
        case .none: request.headers.add(name: "X-HMAC-SIGNATURE", value: Self.sign(body))
        case .some(.some(let value)): request.headers.add(name: "X-HMAC-SIGNATURE", value: value)
        case .some(.none): break
        }
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request)
    }

    /// GETs `path`, with a bearer token when given.
    func get(_ path: String, bearer: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        return try await send(request)
    }

    func send(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: bytes))
    }

    /// Inserts a provisioned row with session `sessionID`; returns its id.
    @discardableResult
    func provisionedRow(sessionID: String) async throws -> Int64 {
        let rows = try await db.query(
            """
            INSERT INTO session_queue (status, email, session_id, session_url, session_status, provisioned_at,
                                       expires_at)
            VALUES ('provisioned', 'mari@example.com', $1, 'https://alchemy.veriff.com/v/' || $1, 'created', now(),
                    now() + interval '7 days')
            RETURNING id
            """, [sessionID])
        guard let id: Int64 = try rows.first?.decode("id") else { throw TestSetupError("no row inserted") }
        return id
    }

    /// The session status of row `id`.
    func sessionStatus(_ id: Int64) async throws -> String? {
        try await db.query("SELECT session_status FROM session_queue WHERE id = $1", [id]).first?
            .decode("session_status")
    }

    /// A metric's value from `/metrics` text: the line that starts with `name` (with its labels), e.g.
    /// `provisioner_queue_rows{status="pending"}`.
    static func metric(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}
