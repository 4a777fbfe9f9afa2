import HTTPTypes
import Hummingbird
import Webhooks

/// Refuses a request whose announced body (`Content-Length`) is larger than the limit with 413, before any other
/// check and before a byte of the body is read; the connection is then closed.
///
/// A body sent without a length (chunked) is cut where it passes the limit by the route that reads it
/// (`collect(upTo:)`), with the same answer.
struct RequestSizeMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    let maximumBodySize: Int
    let refusals: Refusals

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let length = request.headers[.contentLength] {
            guard let bytes = Int(length), bytes >= 0 else {
                return .text(.badRequest, "bad Content-Length\n", closing: true)
            }
            if bytes > maximumBodySize {
                refusals.refuse(.bodyTooLarge, request, context)
                return .text(.contentTooLarge, "request body larger than \(maximumBodySize) bytes\n", closing: true)
            }
        }
        return try await next(request, context)
    }
}
