import HTTPServer
import Logging
import NIOCore
import NIOHTTP1
import SessionQueue
import VeriffAPI

/// Answers Veriff's webhooks: checks `X-AUTH-CLIENT` and `X-HMAC-SIGNATURE`, parses, records, answers 200.
///
/// Answers: 200 once recorded (also for unknown sessions, replays and unparseable bodies, so that Veriff stops
/// retrying; the audit row says what happened), 401 for a missing or bad key or signature (nothing written),
/// 413 for an oversize body (the HTTP server, before any check), 503 when the database cannot record it (Veriff
/// retries later), 404/405 for other paths and methods. `GET` on the health path: 200 when the database answers.
public struct WebhookResponder: HTTPResponder {
    private let configuration: WebhookConfiguration
    private let store: any WebhookStore
    private let logger: Logger
    private let apiKeyBytes: [UInt8]

    /// - Parameters:
    ///   - configuration: Paths and credentials.
    ///   - store: Where webhooks are recorded.
    ///   - logger: One line per webhook (ids, codes, outcome; never the body, a header value or a secret).
    public init(configuration: WebhookConfiguration, store: any WebhookStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.apiKeyBytes = Array(configuration.apiKey.secret.utf8)
    }

    /// Refusals need no database: they are answered on the event loop.
    public func respondImmediately(to request: HTTPRequest) -> HTTPResponse? {
        switch route(request) {
        case .refuse(let response): response
        case .health, .webhook: nil
        }
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch route(request) {
        case .refuse(let response):
            return response
        case .health:
            let healthy = await store.isHealthy()
            return healthy ? Self.text(.ok, "ok\n") : Self.text(.serviceUnavailable, "database unavailable\n")
        case .webhook(let kind):
            return await receive(kind, request)
        }
    }

    private enum Route {
        case refuse(HTTPResponse)
        case health
        case webhook(LifecycleEvent.Kind)
    }

    /// Which endpoint, and whether the request may go on (method, key, signature).
    private func route(_ request: HTTPRequest) -> Route {
        let path = request.path
        if path == configuration.healthPath {
            guard request.method == .GET || request.method == .HEAD else { return .refuse(Self.notAllowed("GET")) }
            return .health
        }
        let kind: LifecycleEvent.Kind
        if path == configuration.decisionPath {
            kind = .decision
        } else if path == configuration.eventPath {
            kind = .event
        } else {
            return .refuse(Self.text(.notFound, "not found\n"))
        }
        guard request.method == .POST else { return .refuse(Self.notAllowed("POST")) }
        if let problem = authenticationProblem(request) {
            // No body, no header values: only where it came from and what was wrong.
            logger.warning(
                "webhook refused",
                metadata: [
                    "webhook.kind": "\(kind.rawValue)", "webhook.problem": "\(problem)",
                    "http.remote": "\(request.remoteAddress.map { "\($0)" } ?? "-")",
                    "http.body_bytes": .stringConvertible(request.body.readableBytes),
                ])
            return .refuse(Self.text(.unauthorized, "unauthorized\n"))
        }
        return .webhook(kind)
    }

    /// Why the request is not from Veriff, or `nil` when key and signature are right. Both compare in constant time.
    private func authenticationProblem(_ request: HTTPRequest) -> String? {
        guard let client = request.headers.first(name: "X-AUTH-CLIENT") else { return "no X-AUTH-CLIENT" }
        guard Self.constantTimeEquals(Array(client.utf8), apiKeyBytes) else { return "wrong X-AUTH-CLIENT" }
        guard let signature = request.headers.first(name: "X-HMAC-SIGNATURE") else { return "no X-HMAC-SIGNATURE" }
        let body = request.body.readableBytesView
        guard WebhookSignature.isValid(signature: signature, body: body, secret: configuration.sharedSecret.secret)
        else { return "bad X-HMAC-SIGNATURE" }
        return nil
    }

    private func receive(_ kind: LifecycleEvent.Kind, _ request: HTTPRequest) async -> HTTPResponse {
        let event = WebhookPayload.parse(kind: kind, body: request.body.readableBytesView)
        var metadata: Logger.Metadata = [
            "webhook.kind": "\(kind.rawValue)", "veriff.session_id": "\(event.sessionID ?? "-")",
            "veriff.code": event.code.map { Logger.MetadataValue.stringConvertible($0) } ?? "-",
            "veriff.status": "\(event.status?.rawValue ?? event.statusText ?? "-")",
        ]
        let result: LifecycleResult
        do {
            result = try await store.record(event)
        } catch {
            metadata["error"] = "\(error)"
            logger.error(
                "webhook not recorded: database unavailable; answered 503 so Veriff retries", metadata: metadata)
            return Self.text(.serviceUnavailable, "try again later\n")
        }
        metadata["webhook.outcome"] = "\(result.outcome)"
        metadata["row.id"] = "\(result.queueID.map(String.init) ?? "-")"
        if let reason = event.unparseableReason { metadata["webhook.problem"] = "\(reason)" }
        switch result.outcome {
        case .applied, .duplicate, .unchanged, .older, .final:
            logger.info("webhook recorded", metadata: metadata)
        case .unknownSession, .supersededSession, .sessionMismatch, .ambiguousVendorData, .unknownStatus,
            .unparseable, .cancelledRow:
            logger.warning("webhook recorded but not applied", metadata: metadata)
        }
        return Self.text(.ok, "{\"status\":\"ok\"}\n", contentType: "application/json")
    }

    private static func text(
        _ status: HTTPResponseStatus, _ body: String, contentType: String = "text/plain; charset=utf-8"
    ) -> HTTPResponse {
        HTTPResponse(status: status, contentType: contentType, body: body)
    }

    private static func notAllowed(_ allow: String) -> HTTPResponse {
        var response = text(.methodNotAllowed, "method not allowed\n")
        response.headers.add(name: "Allow", value: allow)
        return response
    }

    /// Compares without an early exit, so the time does not tell how many leading bytes matched.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: lhs.count ^ rhs.count)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0 && lhs.count == rhs.count
    }
}
