import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

/// Talks to the dashboard as a browser or a script does, without following redirects (a test reads each 303 and
/// its `Set-Cookie` itself).
struct DashboardClient: Sendable {
    let baseURL: String
    let http: HTTPClient

    /// One answer: status, headers and body.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    /// How a request proves who it comes from.
    enum Credential: Sendable {
        case none
        case bearer(String)
        case cookie(String)
    }

    /// Runs `body` with a client that never follows a redirect; always shuts it down.
    static func with(baseURL: String, _ body: (DashboardClient) async throws -> Void) async throws {
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        do {
            try await body(DashboardClient(baseURL: baseURL, http: http))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func get(_ path: String, _ credential: Credential = .none, accept: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        Self.add(credential, to: &request)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        return try await send(request)
    }

    /// POSTs a URL-encoded form (`fields` in order, each value percent-encoded).
    func post(
        _ path: String, _ credential: Credential = .none, form fields: [(String, String)] = [],
        headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        Self.add(credential, to: &request)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: Self.encode(fields)))
        return try await send(request)
    }

    func send(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// Logs in through the form.
    /// - Returns: The session cookie's value and the whole `Set-Cookie` header.
    func login(token: String) async throws -> (cookie: String, setCookie: String) {
        let answer = try await post("/login", form: [("token", token)])
        guard answer.status == 303, let setCookie = answer.headers["Set-Cookie"].first,
            let pair = setCookie.split(separator: ";").first, pair.hasPrefix("provisioner_session=")
        else { throw TestSetupError("login did not set the session cookie: \(answer.status) \(answer.body)") }
        return (String(pair.dropFirst("provisioner_session=".count)), setCookie)
    }

    /// The CSRF token in a page's forms.
    static func csrfToken(in page: String) -> String? {
        guard let range = page.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else {
            return nil
        }
        return page[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    /// The row ids listed in a page's table, in order.
    static func rowIDs(in page: String) -> [Int64] {
        page.components(separatedBy: "data-row-id=\"").dropFirst().compactMap { Int64($0.prefix { $0 != "\"" }) }
    }

    /// The "next page" link's path, if any.
    static func nextPage(in page: String) -> String? {
        guard let link = page.range(of: #"href="[^"]+" id="next-page""#, options: .regularExpression) else {
            return nil
        }
        return page[link].split(separator: "\"").dropFirst().first.map {
            $0.replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    private static func add(_ credential: Credential, to request: inout HTTPClientRequest) {
        switch credential {
        case .none: break
        case .bearer(let token): request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .cookie(let value): request.headers.add(name: "Cookie", value: "provisioner_session=\(value)")
        }
    }

    private static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
