import Foundation
import Hummingbird
import Webhooks

/// Tells who a dashboard request comes from: the dashboard token as `Authorization: Bearer <token>` (compared in
/// constant time), or the cookie of a session signed in through the login form.
struct DashboardAuthenticator: Sendable {
    /// The session cookie's name.
    static let cookieName = "provisioner_session"

    private let token: SecretMatcher
    /// The signed-in sessions.
    let sessions: DashboardSessions

    /// - Parameters:
    ///   - token: The dashboard token.
    ///   - sessions: Where the login form's sessions live. Defaults to a new, empty store.
    init(token: DashboardToken, sessions: DashboardSessions = DashboardSessions()) {
        self.token = SecretMatcher(secret: token.secret)
        self.sessions = sessions
    }

    /// Whether `candidate` is the dashboard token (the login form's field).
    func isToken(_ candidate: some StringProtocol) -> Bool {
        token.matches(candidate)
    }

    /// Who `request` comes from; `nil` when it is not authenticated. A request with an `Authorization` header is
    /// judged by that header alone (a wrong token is not rescued by a cookie).
    func identify(_ request: Request) -> DashboardIdentity? {
        if let value = request.headers[.authorization] {
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                token.matches(parts[1].trimmingCharacters(in: .whitespaces))
            else { return nil }
            return .bearer
        }
        return session(of: request).map(DashboardIdentity.session)
    }

    /// The live session `request`'s cookie names, if any.
    func session(of request: Request) -> DashboardSession? {
        guard let value = request.cookies[Self.cookieName]?.value, !value.isEmpty, value.count <= 128 else {
            return nil
        }
        return sessions.session(for: value)
    }
}
