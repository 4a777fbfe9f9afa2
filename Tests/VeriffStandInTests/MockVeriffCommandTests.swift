import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

#if canImport(Glibc)
    import Glibc
#endif

/// `provisioner mock-veriff` as scripts use it: a real process, its "listening on" line, a signal, the stats.
@Suite("provisioner mock-veriff", .timeLimit(.minutes(10)))
struct MockVeriffCommandTests {
    /// The `provisioner` executable built beside the test bundle.
    private func executable() throws -> URL { try ProvisionerExecutable.url() }

    @Test("--port 0 prints the URL, serves with a cap from a key file, stops on SIGTERM and prints the stats")
    func lifecycle() async throws {
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("standin-key-\(UUID().uuidString)")
        try Data("\(StandInTesting.apiKey)\n".utf8).write(to: keyFile)
        defer { try? FileManager.default.removeItem(at: keyFile) }

        // A child process waited for on a Dispatch thread (Shell's ChildProcess): blocking reads here would hold one
        // of the few threads every test running beside this one shares.
        let process = try ChildProcess.spawn(
            try executable().path,
            ["mock-veriff", "--port", "0", "--api-key-file", keyFile.path, "--cap", "2", "--window", "30"],
            environment: ["VERIFF_API_KEY": nil])
        guard await process.waitForOutput(containing: "\n") else {
            process.signal(SIGKILL)
            _ = await process.wait()
            Issue.record("the stand-in printed no URL; stderr: \(process.stderr())")
            return
        }
        let line = String(process.stdout().prefix { $0 != "\n" })
        #expect(line.hasPrefix("listening on http://127.0.0.1:"))
        let baseURL = String(line.dropFirst("listening on ".count))

        let configuration = VeriffConfiguration(baseURL: baseURL, apiKey: APIKey(StandInTesting.apiKey))
        let kinds = try await withVeriffClient(configuration) { client in
            var kinds: [String] = []
            for _ in 0..<3 { kinds.append(await client.createSession(SessionRequest()).outcome.kind) }
            return kinds
        }
        #expect(kinds == ["created", "created", "rate_limited"])

        process.signal(SIGTERM)
        let status = await process.wait()
        #expect(status == 0, "\(process.stderr())")
        let rest = process.stdout().drop { $0 != "\n" }.dropFirst()
        let stats = try JSONDecoder().decode(StandInStats.self, from: Data(rest.utf8))
        #expect(stats.sessionsCreated == 2 && stats.requests(status: 429) == 1 && stats.cap == 2)
        #expect(stats.sessions == nil)
    }

    @Test("a stand-in key that is not a UUID is refused with a clear message")
    func badKey() async throws {
        let result = try await Shell.run(
            try executable().path, ["mock-veriff", "--port", "0"], environment: ["VERIFF_API_KEY": "not-a-uuid"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("UUID") && !result.stderr.contains("not-a-uuid"))
    }
}
