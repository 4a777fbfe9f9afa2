import Hummingbird
import Logging

/// One debug line per request: method, path (no query), status, duration and peer. Webhooks also log their own
/// line at info (what was recorded); refusals go through the rate-limited ``RefusalLog``.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard logger.logLevel <= .debug else { return try await next(request, context) }
        let clock = ContinuousClock()
        let start = clock.now
        var status = "error"
        defer {
            let elapsed = start.duration(to: clock.now) / .milliseconds(1)
            logger.debug(
                "request",
                metadata: [
                    "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path.prefix(200))",
                    "http.status": "\(status)", "http.duration_ms": "\(elapsed)",
                    "http.remote": "\(context.remoteAddress)",
                ])
        }
        let response = try await next(request, context)
        status = "\(response.status.code)"
        return response
    }
}
