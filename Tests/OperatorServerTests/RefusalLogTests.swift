import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import OperatorServer
import Synchronization
import Testing

/// Refused requests are logged at a bounded rate, with counts of the lines left out.
@Suite("refused requests: bounded logging", .timeLimit(.minutes(10)))
struct RefusalLogTests {
    typealias H = ServerHarness

    @Test("2,000 unsigned POSTs write a bounded number of lines, and every refusal is counted in them")
    func floodOfUnsignedPosts() async throws {
        let policy = RefusalLogPolicy()
        let clock = ContinuousClock()
        let elapsed = Shared(Duration.zero)
        try await H.run(try H.configuration(refusalLogging: policy)) { h in
            let start = clock.now
            // 1,000 without X-AUTH-CLIENT (401 from the head, connection closed) and 1,000 with the key but no
            // signature (401 after the body), 16 at a time.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        var refused = 0
                        for index in stride(from: worker, to: 2000, by: 16) {
                            let body = H.event(sessionID: "flood-\(index)")
                            let answer =
                                index % 2 == 0
                                ? try await h.post(H.event, body, apiKey: nil, signature: .some(nil))
                                : try await h.post(H.event, body, signature: .some(nil))
                            if answer.status == 401 { refused += 1 }
                        }
                        return refused
                    }
                }
                let refused = try await group.reduce(0, +)
                #expect(refused == 2000)
            }
            elapsed.value = start.duration(to: clock.now)
            #expect(try await QueueRowsCount.webhookEvents(h.db) == 0)
        } after: { logs in
            let lines = logs.entries.filter { $0.level == .warning }
            let reasons = Set(lines.compactMap { $0.metadata["refusal.reason"].map { "\($0)" } })
            #expect(reasons == ["no X-AUTH-CLIENT", "no X-HMAC-SIGNATURE"])
            let suppressed = lines.compactMap { $0.metadata["refusal.suppressed"].flatMap { Int("\($0)") } }.reduce(
                0, +)
            let refusalLines = lines.filter { $0.message.description == "webhook refused" }.count
            // Every refusal is either a line or counted in a later line (the flush at shutdown writes the rest).
            #expect(refusalLines + suppressed == 2000)
            // Per reason: the burst, one more per interval elapsed, and the flush line.
            let seconds = elapsed.value / policy.interval
            let bound = 2 * (policy.burst + Int(seconds.rounded(.up)) + 2)
            #expect(lines.count <= bound)
            let bytes = lines.map { "\($0.message) \($0.metadata)".utf8.count }.reduce(0, +)
            print(
                "refusal log: 2,000 unsigned POSTs in \(String(format: "%.2f", seconds)) s wrote \(lines.count) "
                    + "lines (~\(bytes) bytes; bound \(bound)); \(suppressed) refusals counted in them, not logged")
        }
    }

    @Test("a manual clock: the burst, then one line per interval, and the count of those left out")
    func policyWithManualClock() {
        let logs = InMemoryLogHandler()
        let clock = StepClock()
        let log = RefusalLog(
            policy: RefusalLogPolicy(burst: 3, interval: .seconds(1)), clock: clock,
            logger: Logger(label: "test", factory: { _ in logs }))
        let written = (0..<10).map { _ in log.refused("refused", reason: "a", metadata: [:]) }
        #expect(written == [true, true, true] + Array(repeating: false, count: 7))
        #expect(log.refused("refused", reason: "b", metadata: [:]), "each reason has its own burst")
        clock.advance(by: .milliseconds(500))
        #expect(!log.refused("refused", reason: "a", metadata: [:]))
        clock.advance(by: .milliseconds(500))
        #expect(log.refused("refused", reason: "a", metadata: [:]))
        #expect(logs.entries.last?.metadata["refusal.suppressed"] == "8")
        #expect(!log.refused("refused", reason: "a", metadata: [:]))
        log.flush()
        #expect(logs.entries.last?.metadata["refusal.suppressed"] == "1")
        #expect(logs.entries.count == 6)
    }
}

/// A clock that moves only when told.
final class StepClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex(Instant(offset: .zero))
    var now: Instant { current.withLock { $0 } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        throw CancellationError()
    }
}
