import Foundation
import HTTPTypes
import Hummingbird
import Webhooks

/// Decides whether a request may see the operator's pages (`/metrics`, the dashboard): it must present the
/// dashboard token through one of the accepted ``Credential`` sources. Compared in constant time.
struct DashboardAuthenticator: Sendable {
    /// Where a request may carry the token.
    enum Credential: Sendable, Hashable {
        /// `Authorization: Bearer <token>` (scrapers, scripts).
        case bearerHeader
        /// A cookie of this name (the dashboard's login form sets it: HttpOnly, SameSite=Strict).
        case cookie(name: String)
    }

    private let token: SecretMatcher
    private let credentials: [Credential]

    /// - Parameters:
    ///   - token: The dashboard token.
    ///   - credentials: The sources accepted, tried in order. Defaults to the bearer header only.
    init(token: DashboardToken, credentials: [Credential] = [.bearerHeader]) {
        self.token = SecretMatcher(secret: token.secret)
        self.credentials = credentials
    }

    /// Whether `request` presents the token through an accepted source.
    func authorizes(_ request: Request) -> Bool {
        credentials.contains { credential in
            switch credential {
            case .bearerHeader:
                guard let value = request.headers[.authorization] else { return false }
                let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
                return token.matches(parts[1].trimmingCharacters(in: .whitespaces))
            case .cookie(let name):
                guard let value = request.cookies[name]?.value, !value.isEmpty else { return false }
                return token.matches(value)
            }
        }
    }
}
