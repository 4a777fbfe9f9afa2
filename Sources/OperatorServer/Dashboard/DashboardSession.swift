import Crypto
import Foundation

/// A person signed in to the dashboard through the login form.
///
/// The browser holds only a random session id in an HttpOnly, SameSite=Strict cookie (never the dashboard token);
/// the server keeps the session under the SHA-256 of that id (``DashboardSessions``), with its CSRF token.
struct DashboardSession: Sendable, Hashable {
    /// The SHA-256 of the cookie's value, hex: the session's key in the server's memory.
    let key: String
    /// The synchronizer token every form of this session carries; an action without it is refused (403).
    let csrfToken: String

    /// A short name for the session in the attempts log and the logs: the first 8 hex digits of ``key`` (tells
    /// sessions apart, reveals nothing of the cookie).
    var label: String { String(key.prefix(8)) }

    /// Whether `candidate` is this session's CSRF token, compared in constant time (swift-crypto's digest
    /// equality).
    func acceptsCSRFToken(_ candidate: String) -> Bool {
        SHA256.hash(data: Data(candidate.utf8)) == SHA256.hash(data: Data(csrfToken.utf8))
    }

    /// The key of a cookie value.
    static func key(of cookieValue: String) -> String {
        SHA256.hash(data: Data(cookieValue.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes (the system's cryptographic generator), base64url without padding: a valid cookie value
    /// and form field.
    static func randomToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
