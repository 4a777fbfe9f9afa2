import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SessionQueue
import Support

/// The dashboard's routes: the login form (public), and behind ``DashboardAuthMiddleware`` the page at `/`, its
/// live refresh (`/live`), logout and the actions (`POST /rows/requeue`, `/rows/hold`, `/rows/cancel`).
///
/// Actions from a signed-in browser must carry the session's CSRF token (else 403); a request with the bearer
/// token needs none (a browser never sends that header by itself). Requests a browser marks as coming from another
/// site (`Sec-Fetch-Site`) are refused. Every action goes through ``OperatorDatabase/perform(_:)`` — the command
/// line's ``QueueOperator`` — with the actor `dashboard:<peer> session <label>` (or `bearer`), so it is recorded in
/// the attempts log as the command line's actions are.
struct DashboardRoutes: Sendable {
    typealias Context = OperatorRequestContext

    /// Public paths (no token needed): the login form.
    static let loginPath = "/login"
    /// Every path the dashboard takes, for the configuration's clash check.
    static let paths = ["/", "/live", loginPath, "/logout"] + QueueRowAction.allCases.map { "/rows/\($0.rawValue)" }

    /// `nil`: the dashboard is off.
    let authenticator: DashboardAuthenticator?
    let database: any OperatorDatabase
    let metrics: ServerMetrics
    let refusalLog: RefusalLog<ContinuousClock>
    let logger: Logger

    /// - Parameters:
    ///   - router: For the public login routes.
    ///   - guarded: The group behind ``DashboardAuthMiddleware``.
    func add(to router: Router<Context>, guarded: RouterGroup<Context>) {
        router.get(RouterPath(Self.loginPath)) { request, _ in loginForm(request) }
        router.post(RouterPath(Self.loginPath)) { request, context in try await login(request, context) }
        guarded.get("/") { request, context in await dashboard(request, context) }
        guarded.get("/live") { _, _ in await live() }
        guarded.post("/logout") { request, context in try await logout(request, context) }
        for action in QueueRowAction.allCases {
            guarded.post(RouterPath("/rows/\(action.rawValue)")) { request, context in
                try await act(action, request, context)
            }
        }
    }

    // MARK: Login and logout

    private func loginForm(_ request: Request) -> Response {
        guard let authenticator else { return .text(.notFound, DashboardAuthMiddleware.offMessage) }
        if authenticator.session(of: request) != nil { return DashboardResponses.seeOther("/") }
        return DashboardResponses.page(LoginPage.render(problem: nil, nonce: DashboardResponses.nonce()))
    }

    private func login(_ request: Request, _ context: Context) async throws -> Response {
        guard let authenticator else { return .text(.notFound, DashboardAuthMiddleware.offMessage) }
        if let refusal = Self.crossSite(request) { return refusal }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        else {
            return .text(.unsupportedMediaType, "post the login form (application/x-www-form-urlencoded)\n")
        }
        let token: String?
        switch try await Self.form(request, context, limit: DashboardLimits.loginBodyBytes) {
        case .tooLarge: return Self.tooLarge(DashboardLimits.loginBodyBytes)
        case .malformed: token = nil
        case .fields(let fields): token = fields.first("token")
        }
        guard let token, authenticator.isToken(token) else {
            metrics.dashboardLogin(succeeded: false)
            refusalLog.refused(
                "dashboard login refused", reason: "dashboard_login",
                metadata: ["http.remote": "\(context.remoteAddress)"])
            return DashboardResponses.page(
                LoginPage.render(problem: "That is not the dashboard token.", nonce: DashboardResponses.nonce()),
                status: .unauthorized)
        }
        let (cookieValue, session) = authenticator.sessions.create()
        metrics.dashboardLogin(succeeded: true)
        logger.info(
            "dashboard login",
            metadata: ["dashboard.session": "\(session.label)", "http.remote": "\(context.remoteAddress)"])
        let lifetime = Int(authenticator.sessions.settings.lifetime / .seconds(1))
        return DashboardResponses.seeOther(
            "/", headers: [.setCookie: Self.sessionCookie(value: cookieValue, maxAge: lifetime)])
    }

    private func logout(_ request: Request, _ context: Context) async throws -> Response {
        guard let authenticator, let identity = context.dashboardIdentity else { return Self.unauthorized }
        if let refusal = Self.crossSite(request) { return refusal }
        guard let session = identity.session else {
            return .text(.ok, "nothing to log out: a request with the bearer token has no session\n")
        }
        let fields: FormFields
        switch try await Self.form(request, context, limit: DashboardLimits.formBodyBytes) {
        case .tooLarge: return Self.tooLarge(DashboardLimits.formBodyBytes)
        case .malformed: return forged(context)
        case .fields(let parsed): fields = parsed
        }
        guard let csrf = fields.first("csrf"), session.acceptsCSRFToken(csrf) else { return forged(context) }
        authenticator.sessions.end(session)
        logger.info("dashboard logout", metadata: ["dashboard.session": "\(session.label)"])
        return DashboardResponses.seeOther(
            Self.loginPath, headers: [.setCookie: Self.sessionCookie(value: "", maxAge: 0)])
    }

    /// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), the whole
    /// server's path. `Secure` is left to the TLS-terminating proxy (docs/webhooks.md): the server speaks plain
    /// HTTP behind it.
    static func sessionCookie(value: String, maxAge: Int) -> String {
        "\(DashboardAuthenticator.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
    }

    // MARK: Pages

    private func dashboard(_ request: Request, _ context: Context) async -> Response {
        let query = request.uri.queryParameters
        // A link the page never makes is a clear 400, not a silent first page.
        var filter = RowFilter.all
        if let name = query["state"] {
            guard let parsed = RowFilter(name: String(name)) else {
                return .text(
                    .badRequest, "state must be one of: \(RowFilter.allCases.map(\.rawValue).joined(separator: ", "))\n"
                )
            }
            filter = parsed
        }
        var cursor: QueueRowCursor?
        if let text = query["after"] {
            guard let parsed = QueueRowCursor(text: text) else {
                return .text(
                    .badRequest, "after must be a page cursor as the next-page link writes it (digits.digits)\n")
            }
            cursor = parsed
        }
        let session = context.dashboardIdentity?.session
        do {
            async let snapshot = database.dashboardSnapshot()
            async let page = database.rowPage(in: filter.states, after: cursor, limit: DashboardLimits.pageSize)
            let notice = session.flatMap { authenticator?.sessions.takeNotice(for: $0) }
            let view = DashboardPage(
                snapshot: try await snapshot, filter: filter, page: try await page, cursor: cursor,
                csrfToken: session?.csrfToken, notice: notice)
            return DashboardResponses.page(view.render(nonce: DashboardResponses.nonce()))
        } catch {
            logger.warning("dashboard: cannot read the queue", metadata: ["error": "\(error)"])
            let problem = HTMLText.escape(DashboardDatabaseProblem.sentence(error))
            return DashboardResponses.page(
                DashboardPage.document(
                    title: "provisioner: database unavailable",
                    body: """
                        <main><section class="card"><h1>Cannot read the queue</h1><p>The dashboard reads the queue \
                        from PostgreSQL: \(problem). Try again in a moment; <a href="/">reload</a>.</p></section>\
                        </main>
                        """, nonce: DashboardResponses.nonce(), script: nil), status: .serviceUnavailable)
        }
    }

    /// The live sections as JSON: `{"running": Bool, "asOf": "16:42:05 UTC", "sections": {"overview": "<html>", ...}}`.
    private func live() async -> Response {
        do {
            let snapshot = try await database.dashboardSnapshot()
            let sections = DashboardPage.liveSections(snapshot).map {
                "\(JSONText.quoted($0.id)):\(JSONText.quoted($0.html))"
            }
            return DashboardResponses.json(
                """
                {"running":\(snapshot.runIsWorking),"asOf":\(JSONText.quoted(DashboardFormat.clockWithSeconds(snapshot.overview.now))),\
                "sections":{\(sections.joined(separator: ","))}}

                """)
        } catch {
            logger.warning("dashboard: cannot read the queue", metadata: ["error": "\(error)"])
            return DashboardResponses.json(
                "{\"error\":\(JSONText.quoted(DashboardDatabaseProblem.sentence(error)))}\n",
                status: .serviceUnavailable)
        }
    }

    // MARK: Actions

    private func act(_ action: QueueRowAction, _ request: Request, _ context: Context) async throws -> Response {
        guard let authenticator, let identity = context.dashboardIdentity else { return Self.unauthorized }
        if let refusal = Self.crossSite(request) { return refusal }
        let fields: FormFields
        switch try await Self.form(request, context, limit: DashboardLimits.formBodyBytes) {
        case .tooLarge: return Self.tooLarge(DashboardLimits.formBodyBytes)
        case .malformed:
            if identity.session != nil { return forged(context) }
            return .text(.badRequest, "the form is not valid URL-encoded text\n")
        case .fields(let parsed): fields = parsed
        }
        if let session = identity.session {
            guard let csrf = fields.first("csrf"), session.acceptsCSRFToken(csrf) else { return forged(context) }
        }
        let filter = fields.first("state").flatMap(RowFilter.init(name:)) ?? .all
        let back = filter.path(after: fields.first("after").flatMap { QueueRowCursor(text: $0) })
        let texts = fields.first("row").map { [$0] } ?? fields.all("id")
        let ids = texts.compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        var problem: String?
        if ids.isEmpty || ids.count != texts.count {
            problem = ids.count != texts.count ? "Row ids are numbers." : "Pick at least one row first."
        } else if ids.count > DashboardLimits.maximumRowsPerAction {
            problem = "At most \(DashboardLimits.maximumRowsPerAction) rows at once."
        }
        if let problem {
            guard let session = identity.session else { return .text(.badRequest, problem + "\n") }
            authenticator.sessions.setNotice(DashboardNotice(kind: .problem(problem)), for: session)
            return DashboardResponses.seeOther(back)
        }
        let operation = QueueOperation(
            action: action, selection: .ids(ids), actor: identity.actor(peer: context.remoteHost),
            reason: Self.reason(fields.first("reason")))
        let result: QueueOperationResult
        do {
            result = try await database.perform(operation)
        } catch {
            logger.warning(
                "dashboard action failed; nothing was changed",
                metadata: ["dashboard.action": "\(action.rawValue)", "error": "\(error)"])
            return .text(.serviceUnavailable, "\(DashboardDatabaseProblem.sentence(error)); nothing was changed\n")
        }
        metrics.dashboardAction(action)
        logger.info(
            "dashboard action",
            metadata: [
                "dashboard.action": "\(action.rawValue)", "dashboard.actor": "\(operation.actor)",
                "rows.changed": "\(result.changed.count)", "rows.skipped": "\(result.skipped.count)",
            ])
        guard let session = identity.session else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return DashboardResponses.json(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n")
        }
        authenticator.sessions.setNotice(DashboardNotice(kind: .result(result)), for: session)
        return DashboardResponses.seeOther(back)
    }

    /// The person's reason: trimmed, control characters dropped, at most the length the attempts log keeps; `nil`
    /// when empty.
    static func reason(_ text: String?) -> String? {
        guard let text else { return nil }
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter {
                    !$0.properties.isDefaultIgnorableCodePoint && $0.value >= 0x20 && $0.value != 0x7F
                })
        )
        .trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? nil : String(cleaned.prefix(DashboardLimits.maximumReasonLength))
    }

    // MARK: Helpers

    /// A form's body, read.
    private enum FormBody {
        case fields(FormFields)
        /// Not URL-encoded UTF-8 text.
        case malformed
        /// Larger than allowed (answer 413 and close).
        case tooLarge
    }

    /// Reads a small form body, at most `limit` bytes (by its `Content-Length` before a byte is read, else while
    /// reading).
    private static func form(_ request: Request, _ context: Context, limit: Int) async throws -> FormBody {
        if let length = request.headers[.contentLength], (Int(length) ?? .max) > limit { return .tooLarge }
        context.releaseBody()
        do {
            let body = try await request.body.collect(upTo: limit)
            return FormFields(urlEncoded: String(buffer: body)).map(FormBody.fields) ?? .malformed
        } catch is NIOTooManyBytesError {
            return .tooLarge
        }
    }

    /// 403 for a request a browser says comes from another site (or from a page it cannot place).
    private static func crossSite(_ request: Request) -> Response? {
        guard let site = request.headers[.secFetchSite]?.lowercased(), site != "same-origin" else { return nil }
        return .text(.forbidden, "forbidden: a dashboard form may only be posted from the dashboard itself\n")
    }

    private func forged(_ context: Context) -> Response {
        refusalLog.refused(
            "dashboard action refused: no valid CSRF token", reason: "dashboard_csrf",
            metadata: ["http.remote": "\(context.remoteAddress)"])
        return .text(.forbidden, "forbidden: the form's CSRF token is missing or wrong (reload the dashboard)\n")
    }

    private static var unauthorized: Response { .text(.unauthorized, "a dashboard token is needed\n") }

    private static func tooLarge(_ limit: Int) -> Response {
        .text(.contentTooLarge, "request body larger than \(limit) bytes\n", closing: true)
    }
}

extension HTTPField.Name {
    /// `Sec-Fetch-Site`: where a browser says a request comes from (`same-origin`, `same-site`, `cross-site`, `none`).
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
