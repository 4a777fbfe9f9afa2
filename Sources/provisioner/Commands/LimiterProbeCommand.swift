import ArgumentParser
import Foundation
import Logging
import RateLimiting
import Synchronization

/// A hidden test command: several senders acquire from the shared limiter and print their send times, so tests
/// can run several processes against one database and check the window bound across them. The database comes from
/// `DATABASE_URL` like every other command's (never a flag: `ps` shows command lines to every user).
struct LimiterProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limiter-probe",
        abstract: "Acquire from the shared rate limiter and print send times (for tests).",
        shouldDisplay: false
    )

    @OptionGroup var limiter: LimiterOptions

    @Option(help: "The limiter key.")
    var key: String = "probe"

    @Option(help: "Concurrent senders.")
    var senders: Int = 4

    @Option(help: "How long to send, in seconds.")
    var seconds: Double = 10

    func validate() throws {
        guard senders > 0 else { throw ValidationError("--senders must be positive") }
        guard seconds > 0 && seconds.isFinite else { throw ValidationError("--seconds must be positive") }
    }

    func run() async throws {
        let configuration = try limiter.configuration()
        let logger = Logger(label: "provisioner.limiter-probe")
        let times = SendLog()
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .seconds(seconds))
        let senders = senders
        try await PostgresRateLimiter.withLimiter(
            conninfo: DatabaseOptions.conninfo(), key: key, configuration: configuration, logger: logger
        ) { limiter in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<senders {
                    group.addTask {
                        while clock.now < end {
                            try await limiter.acquire()
                            let micros = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
                            times.append(micros)
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
