import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Postgres
import TestSupport
import Testing

/// `provisioner webhooks` logged in as a member of sql/roles.sql's `provisioner_webhooks`: it records signed webhooks,
/// and the role can read no personal data and change nothing a run owns.
@Suite("the webhook receiver's database role", .timeLimit(.minutes(10)))
struct WebhookRoleTests {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A fresh database with sql/roles.sql applied and a login role in `provisioner_webhooks`; `body` gets the
    /// admin connection string and the login role's.
    static func withWebhookRole(_ body: (String, String) async throws -> Void) async throws {
        try await TestDatabase.withFresh { conninfo in
            let name = "t_hook_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
            try await TestDatabase.withConnection(conninfo) { admin in
                try await admin.executeScript(
                    try String(contentsOfFile: packageRoot + "/sql/roles.sql", encoding: .utf8))
                // `name` is hex digits made here: safe as an identifier.
                try await admin.execute("CREATE ROLE \(name) LOGIN IN ROLE provisioner_webhooks")
            }
            do {
                try await body(conninfo, conninfo + " user=\(name)")
            } catch {
                try? await dropRole(String(name), conninfo)
                throw error
            }
            try await dropRole(String(name), conninfo)
        }
    }

    static func dropRole(_ name: String, _ conninfo: String) async throws {
        try await TestDatabase.withConnection(conninfo) { admin in
            try await admin.execute("DROP OWNED BY \(name)")
            try await admin.execute("DROP ROLE \(name)")
        }
    }

    @Test("the receiver applies signed decision and event webhooks under the role")
    func receiverWorksUnderItsRole() async throws {
        let secretFile = NSTemporaryDirectory() + "webhook-role-secret-\(UUID().uuidString)"
        let keyFile = NSTemporaryDirectory() + "webhook-role-key-\(UUID().uuidString)"
        try Data("\(WebhookFixtures.sharedSecret)\n".utf8).write(to: URL(fileURLWithPath: secretFile))
        try Data("\(StandInTesting.apiKey)\n".utf8).write(to: URL(fileURLWithPath: keyFile))
        defer {
            try? FileManager.default.removeItem(atPath: secretFile)
            try? FileManager.default.removeItem(atPath: keyFile)
        }
        try await Self.withWebhookRole { adminConninfo, roleConninfo in
            try await TestDatabase.withConnection(adminConninfo) { db in
                let decided = try await QueueRows.provisioned(db, sessionID: "role-decision")
                let started = try await QueueRows.provisioned(db, sessionID: "role-event", vendorData: "v-event")
                let child = try ChildProcess.spawn(
                    Self.packageRoot + "/.build/debug/provisioner",
                    [
                        "webhooks", "--listen", "127.0.0.1:0", "--shared-secret-file", secretFile,
                        "--api-key-file", keyFile,
                    ],
                    environment: ["VERIFF_SHARED_SECRET": nil, "VERIFF_API_KEY": nil, "DATABASE_URL": roleConninfo])
                guard await child.waitForOutput(containing: "listening on http://127.0.0.1:") else {
                    child.signal(SIGKILL)
                    _ = await child.wait()
                    Issue.record("no listening line; stderr: \(child.stderr())")
                    return
                }
                let line = try #require(child.stdout().split(separator: "\n").first)
                let baseURL = String(line.dropFirst("listening on ".count))
                try await WebhookHarness.withClient { http in
                    for (path, body) in [
                        (
                            "/webhooks/decision",
                            WebhookFixtures.decision(sessionID: "role-decision", code: 9001, status: "approved")
                        ),
                        (
                            "/webhooks/event",
                            WebhookFixtures.event(sessionID: "role-event", code: 7001, action: "started")
                        ),
                    ] {
                        var request = HTTPClientRequest(url: baseURL + path)
                        request.method = .POST
                        request.headers.add(name: "X-AUTH-CLIENT", value: StandInTesting.apiKey)
                        request.headers.add(
                            name: "X-HMAC-SIGNATURE", value: try await WebhookFixtures.opensslSignature(body))
                        request.body = .bytes(ByteBuffer(string: body))
                        let response = try await http.execute(request, timeout: .seconds(20))
                        #expect(response.status == .ok, "\(path): \(response.status); \(child.stderr())")
                    }
                }
                child.signal(SIGTERM)
                #expect(await child.wait() == 0)
                #expect(!child.stderr().contains("permission denied"), "\(child.stderr())")
                #expect(try await RowState.read(db, id: decided).sessionStatus == "approved")
                #expect(try await RowState.read(db, id: decided).decisionCode == 9001)
                #expect(try await RowState.read(db, id: started).sessionStatus == "started")
                #expect(try await QueueRows.audit(db).map(\.applied) == [true, true])
            }
        }
    }

    @Test("the role cannot read personal data, urls or tokens, nor change what a run owns")
    func roleIsNarrow() async throws {
        try await Self.withWebhookRole { adminConninfo, roleConninfo in
            let id = try await TestDatabase.withConnection(adminConninfo) { db in
                try await QueueRows.provisioned(db, sessionID: "narrow-1")
            }
            try await TestDatabase.withConnection(roleConninfo) { db in
                for statement in [
                    "SELECT email FROM session_queue", "SELECT session_token FROM session_queue",
                    "SELECT session_url FROM session_queue", "SELECT * FROM session_queue",
                    "UPDATE session_queue SET status = 'failed'", "UPDATE session_queue SET email = 'x@y.z'",
                    "UPDATE session_queue SET session_url = 'https://evil.example'",
                    "DELETE FROM session_queue", "INSERT INTO session_queue (first_name) VALUES ('x')",
                    "DELETE FROM webhook_events", "SELECT * FROM provisioner_runs",
                ] {
                    let error = try await #require(throws: PostgresError.self, "\(statement)") {
                        try await db.execute(statement)
                    }
                    #expect(error.sqlState == "42501", "\(statement): \(error)")
                }
                // What it needs works.
                try await db.execute(
                    "UPDATE session_queue SET session_status = 'started', last_event_at = now() WHERE id = $1", [id])
            }
        }
    }
}
