import Foundation
import RateLimiting
import TestSupport
import Testing

/// Real processes on the real clock: the verdict is the cap across them, not the share of it used, which depends on
/// the machine's speed (`scripts/bench limiter` runs the same probes and reports it).
@Suite("Three limiter processes sharing one database", .timeLimit(.minutes(10)))
struct LimiterProcessesTests {
    /// The `limiter-probe` developer tool built beside the test bundle.
    private func executable() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("limiter-probe") }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "build the limiter-probe tool first (swift build --build-tests builds it)"
        ).path
    }

    @Test("Three `limiter-probe` processes at 120 per 10 s: no window over the cap, each one sends")
    func threeProcesses() async throws {
        let executable = try executable()
        try await TestDatabase.withFresh { conninfo in
            let arguments = [
                "--key", "integration-p", "--rate", "120", "--window-seconds", "10", "--senders", "4", "--seconds",
                "25",
            ]
            let children = try (0..<3).map { _ in
                try ChildProcess.spawn(executable, arguments, environment: ["DATABASE_URL": conninfo])
            }
            var perProcess: [[Duration]] = []
            for child in children {
                let status = await child.wait()
                #expect(status == 0, "limiter-probe failed: \(child.stderr())")
                perProcess.append(
                    child.stdout().split(separator: "\n").compactMap { Int64($0) }.map(Duration.microseconds))
            }
            let times = perProcess.flatMap { $0 }.sorted()
            let configuration = RateLimitConfiguration(cap: 120, window: .seconds(10))
            let largest = WindowCount.largest(times, window: configuration.window)
            let first = try #require(times.first)
            let last = try #require(times.last)
            let perWindow = Double(times.count - 1) / ((last - first) / configuration.window)
            print(
                "3 processes × 4 senders, cap 120/10 s: \(perProcess.map(\.count)) sends, largest window \(largest), "
                    + "\(perWindow) per window")
            #expect(perProcess.allSatisfy { !$0.isEmpty })
            #expect(largest <= configuration.windowLimit)
        }
    }
}
