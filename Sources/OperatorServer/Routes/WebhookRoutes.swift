import HTTPTypes
import Hummingbird
import NIOCore
import SessionQueue
import Webhooks

/// Veriff's decision and event webhooks: `POST` only, behind ``WebhookClientMiddleware``. The body is read as a
/// stream up to the limit, its signature checked over the raw bytes, then it is recorded.
///
/// Answers: 200 once recorded (also replays, unknown sessions, unreadable bodies: Veriff must stop retrying), 401
/// for a missing or bad signature (nothing written), 413 past the limit, 503 when the database cannot record it
/// (Veriff retries). Other methods on these paths get 405.
struct WebhookRoutes: Sendable {
    let configuration: OperatorServerConfiguration
    let authenticator: WebhookAuthenticator
    let receiver: WebhookReceiver
    let refusals: Refusals
    let metrics: ServerMetrics

    func add(to router: Router<OperatorRequestContext>) {
        let paths: [(String, LifecycleEvent.Kind)] = [
            (configuration.webhooks.decisionPath, .decision), (configuration.webhooks.eventPath, .event),
        ]
        for (path, _) in paths {
            for method in [HTTPRequest.Method.get, .head, .put, .delete, .patch] {
                router.on(RouterPath(path), method: method) { _, _ in Response.methodNotAllowed(allow: "POST") }
            }
        }
        let group = router.group()
            .add(middleware: WebhookClientMiddleware(authenticator: authenticator, refusals: refusals))
        for (path, kind) in paths {
            group.post(RouterPath(path)) { request, context in
                try await receive(kind, request, context)
            }
        }
    }

    private func receive(
        _ kind: LifecycleEvent.Kind, _ request: Request, _ context: OperatorRequestContext
    ) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.webhooks.maximumBodySize)
        } catch is NIOTooManyBytesError {
            refusals.refuse(.bodyTooLarge, request, context)
            let limit = configuration.webhooks.maximumBodySize
            return .text(.contentTooLarge, "request body larger than \(limit) bytes\n", closing: true)
        }
        if let refusal = authenticator.checkSignature(request.headers[.veriffSignature], body: body.readableBytesView) {
            refusals.refuse(refusal, request, context)
            return .text(.unauthorized, "unauthorized\n")
        }
        metrics.received(kind)
        switch await receiver.receive(kind, body: body.readableBytesView) {
        case .recorded:
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}\n")))
        case .storeUnavailable:
            metrics.unrecorded()
            return .text(.serviceUnavailable, "try again later\n")
        }
    }
}
