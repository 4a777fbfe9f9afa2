import AsyncHTTPClient
import Foundation
import InMemoryLogging
import NIOCore
import NIOHTTP1
import Postgres
import TestSupport
import Testing

/// `provisioner webhooks` and `provisioner renew` as operators run them: real processes, signals, exit statuses.
@Suite("provisioner webhooks and renew commands", .timeLimit(.minutes(10)))
struct WebhooksCommandTests {
    /// The `provisioner` executable built beside the test bundle.
    private func executable() throws -> String { try ProvisionerExecutable.path() }

    private func secretFiles() throws -> (secret: String, key: String) {
        let directory = FileManager.default.temporaryDirectory
        let secret = directory.appendingPathComponent("webhook-secret-\(UUID().uuidString)").path
        let key = directory.appendingPathComponent("webhook-key-\(UUID().uuidString)").path
        try Data("\(WebhookFixtures.sharedSecret)\n".utf8).write(to: URL(fileURLWithPath: secret))
        try Data("\(StandInTesting.apiKey)\n".utf8).write(to: URL(fileURLWithPath: key))
        return (secret, key)
    }

    @Test("serves signed webhooks, finishes the one in flight on SIGTERM, exits 0")
    func gracefulStop() async throws {
        let files = try secretFiles()
        defer {
            try? FileManager.default.removeItem(atPath: files.secret)
            try? FileManager.default.removeItem(atPath: files.key)
        }
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                let id = try await QueueRows.provisioned(db, sessionID: "cli-1")
                let child = try ChildProcess.spawn(
                    try executable(),
                    [
                        "webhooks", "--listen", "127.0.0.1:0", "--shared-secret-file", files.secret,
                        "--api-key-file", files.key,
                    ],
                    environment: ["VERIFF_SHARED_SECRET": nil, "VERIFF_API_KEY": nil, "DATABASE_URL": conninfo])
                let ready = await child.waitForOutput(containing: "listening on http://127.0.0.1:")
                guard ready else {
                    child.signal(SIGKILL)
                    _ = await child.wait()
                    Issue.record("no listening line; stderr: \(child.stderr())")
                    return
                }
                let line = try #require(child.stdout().split(separator: "\n").first)
                let baseURL = String(line.dropFirst("listening on ".count))

                try await WebhookHarness.withClient { http in
                    // Hold the row so the webhook stays in flight while SIGTERM arrives.
                    try await db.execute("BEGIN")
                    try await db.query("SELECT id FROM session_queue WHERE id = $1 FOR UPDATE", [id])
                    let body = WebhookFixtures.event(sessionID: "cli-1", code: 7001, action: "started")
                    var request = HTTPClientRequest(url: baseURL + "/webhooks/event")
                    request.method = .POST
                    request.headers.add(name: "X-AUTH-CLIENT", value: StandInTesting.apiKey)
                    request.headers.add(
                        name: "X-HMAC-SIGNATURE", value: try await WebhookFixtures.opensslSignature(body))
                    request.body = .bytes(ByteBuffer(string: body))
                    async let answer = http.execute(request, timeout: .seconds(120))
                    // Signalled once the webhook waits for the row (in flight for sure, however slow the machine);
                    // the row is let go once the receiver has said it is stopping.
                    try await Self.waitForLockWait(conninfo)
                    child.signal(SIGTERM)
                    let stopping = await child.waitForError(containing: "stopping: in-flight webhooks finish first")
                    try await db.execute("COMMIT")
                    #expect(stopping, "no stopping line; stderr: \(child.stderr())")
                    let response = try await answer
                    #expect(response.status == .ok)
                }
                #expect(await child.wait() == 0)
                #expect(try await RowState.read(db, id: id).sessionStatus == "started")
                #expect(!child.stderr().contains(WebhookFixtures.sharedSecret))
            }
        }
    }

    /// Waits until a session of the database at `conninfo` waits for a lock (up to 2 minutes, a guard against a hang).
    private static func waitForLockWait(_ conninfo: String) async throws {
        try await TestDatabase.withConnection(conninfo) { watcher in
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                let waiting = try await watcher.query(
                    """
                    SELECT count(*) AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """)
                if try waiting[0].decode("n", as: Int.self) > 0 { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw TestSetupError("the webhook never reached the locked row")
        }
    }

    @Test("without a shared secret it refuses to start, naming the variable and the flag")
    func missingSecret() async throws {
        let output = try await Shell.run(
            try executable(), ["webhooks", "--listen", "127.0.0.1:0"],
            environment: ["VERIFF_SHARED_SECRET": nil, "VERIFF_API_KEY": StandInTesting.apiKey])
        #expect(output.status == 64)
        #expect(output.stderr.contains("VERIFF_SHARED_SECRET") && output.stderr.contains("--shared-secret-file"))
        let badListen = try await Shell.run(try executable(), ["webhooks", "--listen", "nowhere"])
        #expect(badListen.status == 64 && badListen.stderr.contains("HOST:PORT"))
    }

    @Test(
        "a secret file that is endless (/dev/zero) or a directory is refused at start, exit 64, without reading it all")
    func unreasonableSecretFiles() async throws {
        for flag in ["--shared-secret-file", "--api-key-file"] {
            for path in ["/dev/zero", "/tmp"] {
                let output = try await Shell.run(
                    try executable(), ["webhooks", "--listen", "127.0.0.1:0", flag, path],
                    environment: ["VERIFF_SHARED_SECRET": "s3cret-for-tests", "VERIFF_API_KEY": StandInTesting.apiKey])
                #expect(output.status == 64, "\(flag) \(path): \(output.stderr)")
                #expect(output.stderr.contains(path), "\(output.stderr)")
                let reason = path == "/tmp" ? "it is a directory" : "larger than 64 KiB"
                #expect(output.stderr.contains(reason), "\(output.stderr)")
            }
        }
    }

    @Test("renew --dry-run counts, renew renews")
    func renew() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await QueueRows.provisioned(db, sessionID: "old-1", expiresIn: "-1 hour")
                try await QueueRows.provisioned(db, sessionID: "new-1")
                let dry = try await Shell.run(
                    try executable(), ["renew", "--dry-run"], environment: ["DATABASE_URL": conninfo])
                #expect(dry.status == 0 && dry.stdout == "would renew 1 row\n")
                let real = try await Shell.run(
                    try executable(), ["renew"], environment: ["DATABASE_URL": conninfo])
                #expect(real.status == 0 && real.stdout == "renewed 1 row\n")
                let left = try await db.query("SELECT count(*) AS n FROM session_queue WHERE status = 'pending'")
                #expect(try left.first?.decode("n", as: Int.self) == 1)
            }
        }
    }
}
