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
    private func executable() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("provisioner") }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "build the provisioner product first (swift build --build-tests builds it)"
        ).path
    }

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
                    async let answer = http.execute(request, timeout: .seconds(20))
                    try await Task.sleep(for: .milliseconds(500))
                    child.signal(SIGTERM)
                    try await Task.sleep(for: .milliseconds(300))
                    try await db.execute("COMMIT")
                    let response = try await answer
                    #expect(response.status == .ok)
                }
                #expect(await child.wait() == 0)
                #expect(try await RowState.read(db, id: id).sessionStatus == "started")
                #expect(!child.stderr().contains(WebhookFixtures.sharedSecret))
            }
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
