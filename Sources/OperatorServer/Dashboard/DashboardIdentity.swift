/// Who a dashboard request comes from, once authenticated.
enum DashboardIdentity: Sendable, Hashable {
    /// `Authorization: Bearer <token>`: a script or a scraper. Its forms need no CSRF token: a browser never adds
    /// that header by itself, so it cannot be forged from another site.
    case bearer
    /// A person signed in through the login form.
    case session(DashboardSession)

    /// The signed-in session, if any.
    var session: DashboardSession? {
        if case .session(let session) = self { session } else { nil }
    }

    /// Who asked, as the attempts log records it: `dashboard:<peer> session <label>` or `dashboard:<peer> bearer`.
    /// Never the token or the cookie.
    func actor(peer: String) -> String {
        switch self {
        case .bearer: "dashboard:\(peer) bearer"
        case .session(let session): "dashboard:\(peer) session \(session.label)"
        }
    }
}
