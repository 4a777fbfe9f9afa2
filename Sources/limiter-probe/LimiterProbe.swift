import ArgumentParser
import Foundation
import Logging
import Postgres
import RateLimiting
import Synchronization

/// A developer's tool, not shipped to operators: several senders acquire from the shared limiter and print their
/// send times (microseconds since the Unix epoch, one per line), so tests can run several processes against one
/// database and check the window bound across them. The database is `DATABASE_URL` (never a flag: `ps` shows
/// flags), else libpq's `PG*` defaults.
@main
struct LimiterProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limiter-probe",
        abstract: "Acquire from the shared rate limiter and print send times (for tests)."
    )

    @Option(help: "The cap in sends per window.")
    var rate: Double

    @Option(name: .customLong("window-seconds"), help: "The cap's window, in seconds.")
    var windowSeconds: Double = 60

    @Option(help: "The fraction of the cap left unused.")
    var headroom: Double = 0.02

    @Option(help: "The limiter key.")
    var key: String = "probe"

    @Option(help: "Concurrent senders, 1 to 1,000.")
    var senders: Int = 4

    @Option(help: "How long to send, in seconds (at most a day).")
    var seconds: Double = 10

    func validate() throws {
        guard (1...1000).contains(senders) else { throw ValidationError("--senders must be 1...1000") }
        guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw ValidationError("--seconds must be between 0 and 86400")
        }
        _ = try limits()
    }

    private func limits() throws -> RateLimitConfiguration {
        do {
            return try RateLimitConfiguration.fromSettings(
                tier: nil, cap: rate, headroom: headroom, windowSeconds: windowSeconds)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let configuration = try limits()
        let logger = Logger(label: "limiter-probe")
        let conninfo = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        let times = SendLog()
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        let senders = senders
        let key = key
        try await PostgresConnectionPool.withPool(conninfo: conninfo, maximum: 2, logger: logger) { pool in
            let limiter = PostgresRateLimiter.make(pool: pool, key: key, configuration: configuration, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<senders {
                    group.addTask {
                        while clock.now < end {
                            try await limiter.acquire()
                            times.append(Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        for time in times.sorted { print(time) }
    }
}

/// Send times in microseconds since the Unix epoch, from concurrent senders.
private final class SendLog: Sendable {
    private let times = Mutex<[Int64]>([])

    func append(_ time: Int64) { times.withLock { $0.append(time) } }

    var sorted: [Int64] { times.withLock { $0 }.sorted() }
}
