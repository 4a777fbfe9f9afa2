import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Postgres
import TestSupport
import Testing

/// The dashboard in a real browser: headless Chromium, driven by Selenium from Tests/Browser/dashboard_browser_test.py,
/// against the built `provisioner serve` and a seeded database. The script checks the page; this test seeds, starts
/// the server, runs the script, and checks the database afterwards (the requeued row, the attempts log's actor).
///
/// It needs Debian's `chromium` and `chromium-driver` and a Python with Selenium: `scripts/test` installs them and
/// sets `PROVISIONER_BROWSER_PYTHON`. Without them the test fails (it is never skipped).
@Suite("dashboard in a real browser", .timeLimit(.minutes(10)))
struct DashboardBrowserTests {
    typealias H = ServerHarness

    /// The repository's root (this file is Tests/OperatorServerTests/...).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The Python that has Selenium: `PROVISIONER_BROWSER_PYTHON`, else scripts/test's venv.
    static func python() throws -> String {
        if let python = ProcessInfo.processInfo.environment["PROVISIONER_BROWSER_PYTHON"], !python.isEmpty {
            return python
        }
        let venv = root.appendingPathComponent(".venv/browser/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw TestSetupError(
                "no Python with Selenium: run the tests with scripts/test (it installs chromium, chromium-driver and "
                    + "Selenium), or set PROVISIONER_BROWSER_PYTHON")
        }
        return venv
    }

    @Test("Chromium logs in, sees the counts, one chart point per minute, a failed row's error; requeue moves it")
    func dashboardInChromium() async throws {
        let python = try Self.python()
        let files = try ServeProcess.secretFiles()
        defer { files.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                var seed = try await DashboardFixtures.seed(db)
                let (child, baseURL) = try await ServeProcess.start(
                    [
                        "serve", "--listen", "127.0.0.1:0", "--shared-secret-file", files[0], "--api-key-file",
                        files[1], "--dashboard-token-file", files[2],
                    ], conninfo: conninfo)
                // Killed only while it is still ours (not yet waited for: its pid cannot have been reused).
                var stopped = false
                defer { if !stopped { child.signal(SIGKILL) } }

                // Veriff's decisions for a few sessions, through the server's own webhook route.
                try #require(seed.undecided.count >= 3)
                try await H.withClient { http in
                    for (sessionID, code, status) in [
                        (seed.undecided[0], 9001, "approved"), (seed.undecided[1], 9001, "approved"),
                        (seed.undecided[2], 9102, "declined"),
                    ] {
                        let body = WebhookFixtures.decision(sessionID: sessionID, code: code, status: status)
                        var request = HTTPClientRequest(url: baseURL + H.decision)
                        request.method = .POST
                        request.headers.add(name: "X-AUTH-CLIENT", value: H.apiKey)
                        request.headers.add(name: "X-HMAC-SIGNATURE", value: H.sign(body))
                        request.body = .bytes(ByteBuffer(string: body))
                        let response = try await http.execute(request, timeout: .seconds(30))
                        #expect(response.status == .ok)
                    }
                }
                seed.approved += 2
                seed.declined += 1

                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID())")
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: scratch) }
                let expectations = scratch.appendingPathComponent("expect.json")
                try JSONEncoder().encode(seed).write(to: expectations)
                // The screenshots go to out/ (gitignored); README's docs/dashboard.png is copied from there.
                let screenshots = Self.root.appendingPathComponent("out/screenshots").path
                let output = try await Shell.run(
                    python, [Self.root.appendingPathComponent("Tests/Browser/dashboard_browser_test.py").path],
                    environment: [
                        "DASHBOARD_URL": baseURL, "DASHBOARD_TOKEN": H.dashboardToken,
                        "DASHBOARD_EXPECT": expectations.path, "DASHBOARD_SCREENSHOTS": screenshots,
                    ])
                print("browser: \(output.stdout)\(output.stderr)")
                #expect(output.status == 0, "the browser test failed:\n\(output.stderr)\n\(output.stdout)")
                let report = try #require(output.stdout.split(separator: "\n").last)
                let seen = try #require(
                    try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
                #expect(seen["ok"] as? Bool == true)
                #expect(seen["dayPoints"] as? Int == seed.dayPoints)
                #expect(seen["requeued"] as? Int == Int(seed.failedRow))
                #expect(FileManager.default.fileExists(atPath: screenshots + "/dashboard.png"))

                // The click went through QueueOperator: the row is pending, and the attempts log says who did it.
                let row = try await db.query(
                    "SELECT status, attempts FROM session_queue WHERE id = $1", [seed.failedRow])
                #expect(try row.first?.decode("status", as: String.self) == "pending")
                #expect(try row.first?.decode("attempts", as: Int.self) == 0)
                let attempts = try await db.query(
                    """
                    SELECT actor, previous_status, message FROM session_attempts
                    WHERE queue_id = $1 AND outcome = 'requeued'
                    """, [seed.failedRow])
                #expect(attempts.count == 1)
                let actor: String = try #require(try attempts.first?.decode("actor"))
                #expect(actor.hasPrefix("dashboard:127.0.0.1 session "), "\(actor)")
                #expect(!actor.contains(H.dashboardToken))
                #expect(try attempts.first?.decode("previous_status", as: String.self) == "failed")

                child.signal(SIGTERM)
                let status = await child.wait()
                stopped = true
                #expect(status == 0)
                #expect(!(child.stdout() + child.stderr()).contains(H.dashboardToken))
            }
        }
    }
}
