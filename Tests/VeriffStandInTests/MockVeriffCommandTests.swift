import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

/// `provisioner mock-veriff` as scripts use it: a real process, its "listening on" line, a signal, the stats.
@Suite("provisioner mock-veriff", .timeLimit(.minutes(10)))
struct MockVeriffCommandTests {
    /// The `provisioner` executable built beside the test bundle.
    private func executable() throws -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("provisioner") }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "build the provisioner product first (swift build --build-tests builds it)"
        )
    }

    @Test("--port 0 prints the URL, serves with a cap from a key file, stops on SIGTERM and prints the stats")
    func lifecycle() async throws {
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("standin-key-\(UUID().uuidString)")
        try Data("\(StandInTesting.apiKey)\n".utf8).write(to: keyFile)
        defer { try? FileManager.default.removeItem(at: keyFile) }

        let process = Process()
        process.executableURL = try executable()
        process.arguments = [
            "mock-veriff", "--port", "0", "--api-key-file", keyFile.path, "--cap", "2", "--window", "30",
        ]
        process.environment = ["PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let reader = output.fileHandleForReading
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            try #require(!chunk.isEmpty, "the stand-in exited before printing its URL")
            firstLine.append(chunk)
        }
        let line = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("listening on http://127.0.0.1:"))
        let baseURL = String(line.dropFirst("listening on ".count))

        let configuration = VeriffConfiguration(baseURL: baseURL, apiKey: APIKey(StandInTesting.apiKey))
        let kinds = try await withVeriffClient(configuration) { client in
            var kinds: [String] = []
            for _ in 0..<3 { kinds.append(await client.createSession(SessionRequest()).outcome.kind) }
            return kinds
        }
        #expect(kinds == ["created", "created", "rate_limited"])

        process.terminate()  // SIGTERM
        let rest = reader.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let stats = try JSONDecoder().decode(StandInStats.self, from: rest)
        #expect(stats.sessionsCreated == 2 && stats.requests(status: 429) == 1 && stats.cap == 2)
        #expect(stats.sessions == nil)
    }

    @Test("a stand-in key that is not a UUID is refused with a clear message")
    func badKey() throws {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["mock-veriff", "--port", "0"]
        process.environment = ["VERIFF_API_KEY": "not-a-uuid"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("UUID") && !message.contains("not-a-uuid"))
    }
}
