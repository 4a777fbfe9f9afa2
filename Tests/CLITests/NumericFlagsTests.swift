import TestSupport
import Testing

/// Every number the command line takes is range-checked: a hostile value is a usage error (exit 64) with a line
/// naming the flag, never an arithmetic trap (exit 132) or a run with an absurd setting.
@Suite("Numbers on the command line", .timeLimit(.minutes(10)))
struct NumericFlagsTests {
    static let hostile: [[String]] = [
        ["run", "--rate", "1e300"], ["run", "--rate", "nan"], ["run", "--rate", "-5"], ["run", "--rate", "inf"],
        ["run", "--headroom", "1e300"], ["run", "--headroom", "nan"], ["run", "--window-seconds", "1e300"],
        ["run", "--window-seconds", "0"], ["run", "--timeout", "1e300"], ["run", "--max-duration", "1e300d"],
        ["run", "--max-duration", "99999999999999999w"], ["run", "--limit", "99999999999999999999"],
        ["run", "--limit", "0"], ["run", "--lease", "1e300"], ["run", "--concurrency", "0"],
        ["run", "--max-attempts", "100000"], ["qr", "--out", "/tmp/never-written", "--since", "99999999999999999w"],
        ["mock-veriff", "--window", "1e300"], ["mock-veriff", "--latency-ms", "1e300"],
        ["mock-veriff", "--jitter-ms", "1e300"], ["mock-veriff", "--slow-delay", "1e300"],
        ["mock-veriff", "--cap", "99999999999999999999"], ["mock-veriff", "--burst-length", "999999999999999"],
        ["mock-veriff", "--fault-500", "nan"], ["mock-veriff", "--port", "70000"],
        ["serve", "--idle-timeout", "1e300"], ["serve", "--max-body-bytes", "99999999999999999"],
        ["serve", "--max-clients", "99999999999"], ["webhooks", "--listen", "127.0.0.1:99999"],
        ["status", "--runs", "99999999999"], ["check", "--tls-timeout", "1e300"],
    ]

    @Test("A hostile number is a usage error naming the flag, never a crash", arguments: hostile)
    func refused(arguments: [String]) async throws {
        let result = try await CLI.run(
            arguments, environment: ["VERIFF_API_KEY": "11111111-1111-1111-1111-111111111111"])
        #expect(result.status == 64, "\(arguments): exit \(result.status), \(result.stderr)")
        let flag = try #require(
            arguments.first { $0.hasPrefix("--") && $0 != "--out" && $0 != "--listen" } ?? "--listen")
        #expect(result.stderr.contains(flag), "\(arguments): \(result.stderr)")
    }
}
