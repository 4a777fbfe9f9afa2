import Support

/// The dashboard's login form (public): the dashboard token, posted once, exchanged for a session cookie.
enum LoginPage {
    /// - Parameters:
    ///   - problem: Why the last attempt failed, if it did.
    ///   - nonce: The page's style nonce.
    static func render(problem: String?, nonce: String) -> HTMLDocument {
        let message = problem.map { "<p class=\"notice problem\" role=\"alert\">\(HTMLText.escape($0))</p>" } ?? ""
        let body = """
            <main><section class="card login">
            <h1>provisioner</h1>
            <p class="muted">The operator's dashboard. Log in with the dashboard token (the value of \
            <code>PROVISIONER_DASHBOARD_TOKEN</code> or of the <code>--dashboard-token-file</code>).</p>
            \(message)
            <form method="post" action="/login" id="login-form">
            <label for="token">Dashboard token</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required \
            maxlength="1024" autofocus>
            <button type="submit" class="primary" id="login">Log in</button>
            </form>
            <p><small>You stay signed in for 2 hours after your last click, 12 hours at most. The session lives in \
            the server's memory: a restart signs everyone out.</small></p>
            </section></main>
            """
        return DashboardPage.document(title: "provisioner: log in", body: body, nonce: nonce, script: nil)
    }
}
