import Hummingbird
import Logging
import Webhooks

/// Counts and logs (at a bounded rate) requests refused at a webhook path. Only where the request came from, what
/// was wrong and how large its body was said to be: never a header value or the body.
struct Refusals: Sendable {
    let log: RefusalLog<ContinuousClock>
    let metrics: ServerMetrics

    func refuse(_ refusal: WebhookRefusal, _ request: Request, _ context: OperatorRequestContext) {
        metrics.refused(refusal)
        log.refused(
            "webhook refused", reason: refusal.rawValue,
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path.prefix(200))",
                "http.remote": "\(context.remoteAddress)",
                "http.content_length": "\(request.headers[.contentLength] ?? "-")",
            ])
    }
}
