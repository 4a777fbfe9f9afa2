import HTTPTypes
import Hummingbird

/// Guards the operator's pages (`/metrics`, the dashboard): without a configured token they answer 404 saying the
/// dashboard is off; with one, a request without the token gets 401 (and its body is never read).
struct DashboardAuthMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    /// `nil`: the dashboard is off.
    let authenticator: DashboardAuthenticator?

    static let offMessage =
        "the dashboard and /metrics are off: start the server with PROVISIONER_DASHBOARD_TOKEN or "
        + "--dashboard-token-file to turn them on\n"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let authenticator else { return .text(.notFound, Self.offMessage) }
        guard authenticator.authorizes(request) else {
            return .text(
                .unauthorized, "a dashboard token is needed (Authorization: Bearer <token>)\n",
                headers: [.wwwAuthenticate: "Bearer realm=\"provisioner\""])
        }
        context.releaseBody()
        return try await next(request, context)
    }
}
