import HTTPTypes
import Hummingbird

/// Guards the operator's pages (`/metrics`, the dashboard, its live endpoint and actions): without a configured
/// token they answer 404 saying the dashboard is off; with one, a request that is not authenticated (bearer token
/// or a signed-in session's cookie) gets 401 — the login form for a browser asking for a page — and its body is
/// never read.
///
/// An authenticated request may send a body of at most ``maximumBodySize`` bytes (the action forms): a larger
/// announced `Content-Length` gets 413 and the connection closes, before the body is read.
struct DashboardAuthMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    /// `nil`: the dashboard is off.
    let authenticator: DashboardAuthenticator?
    /// The largest body an authenticated request may send (the forms are small).
    var maximumBodySize = DashboardLimits.formBodyBytes

    static let offMessage =
        "the dashboard and /metrics are off: start the server with PROVISIONER_DASHBOARD_TOKEN or "
        + "--dashboard-token-file to turn them on\n"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let authenticator else { return .text(.notFound, Self.offMessage) }
        guard let identity = authenticator.identify(request) else {
            let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"provisioner\""]
            if request.method == .get, request.headers[.accept]?.contains("text/html") == true {
                return DashboardResponses.page(
                    LoginPage.render(problem: nil, nonce: DashboardResponses.nonce()), status: .unauthorized,
                    headers: challenge)
            }
            return .text(
                .unauthorized, "a dashboard token is needed (Authorization: Bearer <token>, or log in at /login)\n",
                headers: challenge)
        }
        if let length = request.headers[.contentLength], (Int(length) ?? .max) > maximumBodySize {
            return .text(.contentTooLarge, "request body larger than \(maximumBodySize) bytes\n", closing: true)
        }
        var context = context
        context.dashboardIdentity = identity
        context.releaseBody()
        return try await next(request, context)
    }
}
