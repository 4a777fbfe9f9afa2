import Foundation
import InMemoryLogging
import NIOHTTP1
import Postgres
import SessionQueue
import TestSupport
import Testing

/// Who may see the dashboard and act on rows: the bearer token, the login form's cookie, CSRF tokens on every
/// action from a browser; and the failed rows paged by the keyset cursor.
@Suite("dashboard: authentication, CSRF, actions, paging", .timeLimit(.minutes(10)))
struct DashboardAccessTests {
    typealias H = ServerHarness

    /// Every path the dashboard answers behind its token, with the method it takes.
    static let guardedRequests: [(method: String, path: String)] =
        [("GET", "/"), ("GET", "/?state=failed"), ("GET", "/live"), ("GET", "/metrics"), ("POST", "/logout")]
        + QueueRowAction.allCases.map { ("POST", "/rows/\($0.rawValue)") }

    /// The attempts log's lines for row `id` written by an operator: (outcome, actor).
    static func operatorLines(_ db: PostgresConnection, _ id: Int64) async throws -> [(String, String)] {
        try await db.query(
            "SELECT outcome, actor FROM session_attempts WHERE queue_id = $1 AND actor IS NOT NULL ORDER BY id", [id]
        ).map { (try $0.decode("outcome"), try $0.decode("actor")) }
    }

    @Test("without authentication: 401 for /, /live, /metrics, logout and every action, small, and no row moves")
    func unauthenticated() async throws {
        try await H.run(try H.configuration()) { h in
            let failed = try await QueueFixtures.insert(h.db, status: "failed", lastError: "gave up", index: 1)
            try await DashboardClient.with(baseURL: h.baseURL) { client in
                let credentials: [DashboardClient.Credential] = [
                    .none, .bearer("not-the-dashboard-token-0123"), .bearer(String(H.dashboardToken.dropLast())),
                    .cookie("made-up-session-value"), .cookie(H.dashboardToken),
                ]
                for credential in credentials {
                    for (method, path) in Self.guardedRequests {
                        let answer =
                            method == "GET"
                            ? try await client.get(path, credential, accept: "text/html")
                            : try await client.post(path, credential, form: [("row", "\(failed)"), ("csrf", "x")])
                        #expect(answer.status == 401, "\(method) \(path) with \(credential): \(answer.status)")
                        // At most the login form (a fixed page, no database read): a few KB, whatever is asked.
                        #expect(answer.body.utf8.count < 8192, "\(method) \(path): \(answer.body.utf8.count) bytes")
                        #expect(!answer.body.contains("gave up"), "\(method) \(path) shows a row")
                    }
                }
            }
            #expect(try await QueueFixtures.state(h.db, id: failed)?.status == "failed")
            #expect(try await Self.operatorLines(h.db, failed).isEmpty)
        }
    }

    @Test("login sets an HttpOnly, SameSite=Strict cookie that is not the token, and it opens the dashboard")
    func loginCookie() async throws {
        try await H.run(try H.configuration()) { h in
            try await DashboardClient.with(baseURL: h.baseURL) { client in
                let wrong = try await client.post("/login", form: [("token", "not-the-dashboard-token-0123")])
                #expect(wrong.status == 401)
                #expect(wrong.headers["Set-Cookie"].isEmpty)
                let empty = try await client.post("/login", form: [])
                #expect(empty.status == 401)
                #expect(empty.headers["Set-Cookie"].isEmpty)
                let huge = try await client.post("/login", form: [("token", String(repeating: "a", count: 64 << 10))])
                #expect(huge.status == 413)

                let (cookie, setCookie) = try await client.login(token: H.dashboardToken)
                let attributes = setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(attributes.contains("HttpOnly"), "\(setCookie)")
                #expect(attributes.contains("SameSite=Strict"), "\(setCookie)")
                #expect(attributes.contains("Path=/"), "\(setCookie)")
                #expect(cookie.count >= 32)
                #expect(!setCookie.contains(H.dashboardToken))

                let page = try await client.get("/", .cookie(cookie))
                #expect(page.status == 200)
                #expect(page.body.contains("id=\"overview\""))
                #expect(!page.body.contains(H.dashboardToken))
                #expect(try await client.get("/metrics", .cookie(cookie)).status == 200)
                #expect(try await client.get("/live", .cookie(cookie)).status == 200)
                // Another login is another session: the cookie is random, not derived from the token.
                #expect(try await client.login(token: H.dashboardToken).cookie != cookie)

                // Logout (with the page's CSRF token) ends the session.
                let csrf = try #require(DashboardClient.csrfToken(in: page.body))
                let logout = try await client.post("/logout", .cookie(cookie), form: [("csrf", csrf)])
                #expect(logout.status == 303)
                #expect(try await client.get("/", .cookie(cookie)).status == 401)
            }
            #expect(!h.logs.entries.contains { "\($0)".contains(H.dashboardToken) })
        }
    }

    @Test("a forged action gets 403 without or with a wrong CSRF token; with the page's token the row moves")
    func csrf() async throws {
        try await H.run(try H.configuration()) { h in
            let failed = try await QueueFixtures.insert(h.db, status: "failed", lastError: "gave up", index: 1)
            let held = try await QueueFixtures.insert(h.db, status: "held", index: 2)
            try await DashboardClient.with(baseURL: h.baseURL) { client in
                let (cookie, _) = try await client.login(token: H.dashboardToken)
                let page = try await client.get("/?state=failed", .cookie(cookie))
                let csrf = try #require(DashboardClient.csrfToken(in: page.body))
                #expect(DashboardClient.rowIDs(in: page.body) == [failed])

                for action in QueueRowAction.allCases {
                    for form in [
                        [("row", "\(failed)")], [("row", "\(failed)"), ("csrf", "")],
                        // The last character changed (to one it is not: 32 random bytes in base64url end in "A" one time in four).
                        [("row", "\(failed)"), ("csrf", String(csrf.dropLast()) + (csrf.hasSuffix("A") ? "B" : "A"))],
                        [("row", "\(failed)"), ("csrf", csrf + "x")],
                    ] {
                        let answer = try await client.post("/rows/\(action.rawValue)", .cookie(cookie), form: form)
                        #expect(answer.status == 403, "\(action) \(form.map(\.0)): \(answer.status)")
                    }
                    // The right token, but a browser says the form was posted from another site.
                    let crossSite = try await client.post(
                        "/rows/\(action.rawValue)", .cookie(cookie), form: [("row", "\(failed)"), ("csrf", csrf)],
                        headers: [("Sec-Fetch-Site", "cross-site")])
                    #expect(crossSite.status == 403)
                }
                #expect(try await QueueFixtures.state(h.db, id: failed)?.status == "failed")
                #expect(try await Self.operatorLines(h.db, failed).isEmpty)

                // The page's own form: the row moves, and the attempts log names the session, never the cookie.
                let requeue = try await client.post(
                    "/rows/requeue", .cookie(cookie),
                    form: [("csrf", csrf), ("state", "failed"), ("id", "\(failed)"), ("reason", "fixed the data")])
                #expect(requeue.status == 303)
                #expect(requeue.headers["Location"].first == "/?state=failed")
                #expect(try await QueueFixtures.state(h.db, id: failed)?.status == "pending")
                let lines = try await Self.operatorLines(h.db, failed)
                #expect(lines.count == 1)
                #expect(lines.first?.0 == "requeued")
                let actor = try #require(lines.first?.1)
                #expect(actor.hasPrefix("dashboard:127.0.0.1 session "), "\(actor)")
                #expect(!actor.contains(cookie) && !actor.contains(H.dashboardToken))
                let after = try await client.get("/?state=failed", .cookie(cookie))
                #expect(after.body.contains("id=\"notice\""))
                #expect(DashboardClient.rowIDs(in: after.body).isEmpty)

                // Cancel the held row from the same session.
                let cancel = try await client.post(
                    "/rows/cancel", .cookie(cookie), form: [("csrf", csrf), ("row", "\(held)")])
                #expect(cancel.status == 303)
                #expect(try await QueueFixtures.state(h.db, id: held)?.status == "cancelled")
                #expect(try await Self.operatorLines(h.db, held).map(\.0) == ["cancelled"])
            }
        }
    }

    @Test("with the bearer token an action needs no CSRF token, answers JSON and records the actor as bearer")
    func bearerActions() async throws {
        try await H.run(try H.configuration()) { h in
            let failed = try await QueueFixtures.insert(h.db, status: "failed", lastError: "gave up", index: 1)
            let provisioned = try await QueueFixtures.insert(h.db, status: "provisioned", index: 2)
            try await DashboardClient.with(baseURL: h.baseURL) { client in
                let bearer = DashboardClient.Credential.bearer(H.dashboardToken)
                let hold = try await client.post(
                    "/rows/hold", bearer, form: [("id", "\(failed)"), ("id", "\(provisioned)")])
                #expect(hold.status == 200, "\(hold.body)")
                #expect(hold.body.contains("\"changed\""))
                #expect(try await QueueFixtures.state(h.db, id: failed)?.status == "held")
                // A provisioned row is never touched (QueueRowTransition), whatever the dashboard asks.
                #expect(try await QueueFixtures.state(h.db, id: provisioned)?.status == "provisioned")
                #expect(try await Self.operatorLines(h.db, failed).map(\.1) == ["dashboard:127.0.0.1 bearer"])
                #expect(try await Self.operatorLines(h.db, provisioned).isEmpty)

                // Bad input: a clear 400, nothing moves.
                for form in [[("id", "seven")], [], [("id", "1"), ("id", "x")]] {
                    let answer = try await client.post("/rows/requeue", bearer, form: form)
                    #expect(answer.status == 400, "\(form): \(answer.status) \(answer.body)")
                }
                #expect(try await QueueFixtures.state(h.db, id: failed)?.status == "held")
                #expect(try await client.get("/?after=not-a-cursor", bearer).status == 400)
                #expect(try await client.get("/?state=nonsense", bearer).status == 400)
            }
        }
    }

    @Test("paging: 230 failed rows, many changed in the same instant, are each listed exactly once across pages")
    func pagingEveryRowOnce() async throws {
        try await H.run(try H.configuration()) { h in
            // Failed rows in groups of ten sharing one updated_at (the cursor's tie-break is the id), held and
            // pending rows around them that the failed filter must leave out.
            let failed: [Int64] = try await h.db.query(
                """
                INSERT INTO session_queue (email, status, attempts, last_error, updated_at)
                SELECT 'p' || g || '@example.com', 'failed', 8, 'error ' || g,
                       timestamptz '2026-01-01 12:00:00+00' + (g / 10) * interval '1 second'
                FROM generate_series(1, 230) g
                RETURNING id
                """
            ).map { try $0.decode("id") }
            try await h.db.execute(
                """
                INSERT INTO session_queue (email, status, updated_at)
                SELECT 'q' || g || '@example.com', CASE WHEN g % 2 = 0 THEN 'held' ELSE 'pending' END,
                       timestamptz '2026-01-01 12:00:00+00' + (g / 10) * interval '1 second'
                FROM generate_series(1, 60) g
                """)
            try await DashboardClient.with(baseURL: h.baseURL) { client in
                var listed: [Int64] = []
                var path: String? = "/?state=failed"
                var pages = 0
                while let next = path, pages < 20 {
                    let page = try await client.get(next, .bearer(H.dashboardToken))
                    #expect(page.status == 200)
                    #expect(!next.contains("offset"))
                    listed += DashboardClient.rowIDs(in: page.body)
                    path = DashboardClient.nextPage(in: page.body)
                    pages += 1
                }
                #expect(pages == 5, "\(pages) pages of 50 for 230 rows")
                #expect(listed.count == failed.count)
                #expect(Set(listed) == Set(failed))
                #expect(Set(listed).count == listed.count, "a row listed twice")
            }
        }
    }
}
