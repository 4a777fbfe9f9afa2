import HTTPTypes
import Hummingbird
import Webhooks

/// Checks `X-AUTH-CLIENT` as soon as a webhook's headers have arrived: a wrong or missing key gets 401 and the
/// connection closes, the body never read. A right key lets the body be read (``RequestBodyWanted``); the route
/// then checks the signature over it.
struct WebhookClientMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    let authenticator: WebhookAuthenticator
    let refusals: Refusals

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let refusal = authenticator.checkClient(request.headers[.veriffClient]) {
            refusals.refuse(refusal, request, context)
            return .text(.unauthorized, "unauthorized\n", closing: true)
        }
        context.releaseBody()
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// Veriff's `X-AUTH-CLIENT`: the integration's API key.
    static let veriffClient = HTTPField.Name("X-AUTH-CLIENT")!
    /// Veriff's `X-HMAC-SIGNATURE`: hex HMAC-SHA256 of the raw body.
    static let veriffSignature = HTTPField.Name("X-HMAC-SIGNATURE")!
}
