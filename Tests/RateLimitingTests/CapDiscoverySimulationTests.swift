import Logging
import Synchronization
import Testing

@testable import RateLimiting

/// Veriff's cap as a strict server counts it, on a manual clock: a sliding or a fixed (clock-aligned) window, with or
/// without `Retry-After`, and another system's sends that use part of the cap.
final class SimulatedVeriff: Sendable {
    enum Kind: Sendable { case sliding, fixed }

    enum Answer: Sendable, Equatable {
        case created
        case refused(retryAfter: Duration?)
    }

    struct State {
        /// Every accepted arrival (ours and the other system's), in order.
        var accepted: [Duration] = []
        /// Our accepted arrivals.
        var ours: [Duration] = []
        var refused = 0
        var nextBackground: Duration?
    }

    let cap: Int
    let window: Duration
    let kind: Kind
    let sendsRetryAfter: Bool
    let backgroundInterval: Duration?
    private let state: Mutex<State>

    init(cap: Int, window: Duration = .seconds(60), kind: Kind, retryAfter: Bool, backgroundPerWindow: Int = 0) {
        self.cap = cap
        self.window = window
        self.kind = kind
        self.sendsRetryAfter = retryAfter
        self.backgroundInterval = backgroundPerWindow > 0 ? window / backgroundPerWindow : nil
        // As if the other system had been sending for a whole window already.
        self.state = Mutex(
            State(nextBackground: backgroundPerWindow > 0 ? .zero - window + window / backgroundPerWindow : nil))
    }

    var ours: [Duration] { state.withLock { $0.ours } }
    var refused: Int { state.withLock { $0.refused } }

    /// One of our requests arriving at `now`.
    func send(at now: Duration) -> Answer {
        state.withLock { state in
            catchUp(&state, to: now)
            if count(state, at: now) >= cap {
                state.refused += 1
                return .refused(retryAfter: sendsRetryAfter ? retryAfter(state, at: now) : nil)
            }
            state.accepted.append(now)
            state.ours.append(now)
            return .created
        }
    }

    private func windowStart(at now: Duration) -> Duration {
        switch kind {
        case .sliding: return now - window
        case .fixed: return window * Int(((now / window).rounded(.down)))
        }
    }

    private func count(_ state: State, at now: Duration) -> Int {
        let start = windowStart(at: now)
        switch kind {
        case .sliding: return state.accepted.reversed().prefix { $0 > start }.count
        case .fixed: return state.accepted.reversed().prefix { $0 >= start }.count
        }
    }

    /// Whole seconds, rounded up, until a request would be accepted (as the stand-in sends it).
    private func retryAfter(_ state: State, at now: Duration) -> Duration {
        let frees: Duration
        switch kind {
        case .sliding:
            let inWindow = state.accepted.reversed().prefix { $0 > now - window }
            frees = (inWindow.last ?? now) + window - now
        case .fixed: frees = windowStart(at: now) + window - now
        }
        return .seconds(max(1, Int((frees / .seconds(1)).rounded(.up))))
    }

    private func catchUp(_ state: inout State, to now: Duration) {
        guard let interval = backgroundInterval, var next = state.nextBackground else { return }
        while next <= now {
            if count(state, at: next) < cap { state.accepted.append(next) }
            next += interval
        }
        state.nextBackground = next
    }
}

/// Runs the limiter against a ``SimulatedVeriff`` on a manual clock, with zero latency: senders take a row, wait for
/// a slot, "send", and report the answer; a refused row goes back in the queue. Time passes only when every sender
/// sleeps, so the counts do not depend on the machine's speed.
struct CapDiscoveryRun {
    struct Result: Sendable {
        var rateLimited = 0
        var sendTimes: [Duration] = []
        var first: Duration? { sendTimes.min() }
        var last: Duration? { sendTimes.max() }
        var span: Duration { (last ?? .zero) - (first ?? .zero) }
    }

    /// What the senders share: the rows left, what happened, how many senders still run.
    private final class Shared: Sendable {
        let left: Mutex<Int>
        let result = Mutex(Result())
        let live: Atomic<Int>

        init(rows: Int, senders: Int) {
            left = Mutex(rows)
            live = Atomic(senders)
        }

        /// Takes a row, if one is left.
        func take() -> Bool {
            left.withLock { left in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
        }
    }

    let clock: ManualClock
    let veriff: SimulatedVeriff

    func run(rows: Int, senders: Int = 4, limiter: RateLimiter<ManualClock>) async throws -> Result {
        // Every task of the simulation, and the limiter's actor, run on one thread (see SimulationExecutor).
        try await SimulationExecutor.with { executor in
            try await withTaskExecutorPreference(executor) {
                try await simulate(rows: rows, senders: senders, limiter: limiter)
            }
        }
    }

    private func simulate(rows: Int, senders: Int, limiter: RateLimiter<ManualClock>) async throws -> Result {
        let shared = Shared(rows: rows, senders: senders)
        let clock = clock
        let veriff = veriff
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<senders {
                group.addTask {
                    defer {
                        shared.live.subtract(1, ordering: .sequentiallyConsistent)
                        clock.poke()
                    }
                    while shared.take() {
                        try await limiter.acquire()
                        let now = clock.now.offset
                        shared.result.withLock { $0.sendTimes.append(now) }
                        switch veriff.send(at: now) {
                        case .created:
                            await limiter.reportCreated()
                        case .refused(let retryAfter):
                            shared.result.withLock { $0.rateLimited += 1 }
                            shared.left.withLock { $0 += 1 }
                            await limiter.reportRateLimited(retryAfter: retryAfter)
                        }
                    }
                }
            }
            group.addTask {
                while true {
                    // Everyone asleep (the store is in memory: no time passes between sleeps): jump to the next
                    // deadline.
                    await clock.waitUntilAsleep { shared.live.load(ordering: .sequentiallyConsistent) }
                    guard shared.live.load(ordering: .sequentiallyConsistent) > 0 else { return }
                    if let next = clock.nextDeadline { clock.advance(to: next) }
                }
            }
            try await group.waitForAll()
        }
        return shared.result.withLock { $0 }
    }
}

@Suite("Cap discovery against a strict simulated Veriff on a manual clock", .timeLimit(.minutes(10)))
struct CapDiscoverySimulationTests {
    static let logger = Logger(label: "test.cap-discovery")

    /// The time 150 rows take at a smooth 30 per minute: 149 intervals of 2 s.
    static let floor150at30 = Duration.seconds(298)

    struct Case: Sendable, CustomTestStringConvertible {
        var kind: SimulatedVeriff.Kind
        var retryAfter: Bool
        /// Where in the clock minute the run starts (a fixed window straddled at 58.9 s).
        var startsAt: Duration
        var testDescription: String { "\(kind), Retry-After \(retryAfter ? "yes" : "no"), start \(startsAt)" }
    }

    static let cases: [Case] = [SimulatedVeriff.Kind.sliding, .fixed].flatMap { kind in
        [true, false].flatMap { retryAfter in
            [Duration.zero, .seconds(20), .milliseconds(58_900)].map {
                Case(kind: kind, retryAfter: retryAfter, startsAt: $0)
            }
        }
    }

    @Test(
        "Configured 600/min, real cap 30/min: at most two 429s, within 1.1× the floor; the next run gets none",
        arguments: cases)
    func wrongTier(_ testCase: Case) async throws {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        let clock = ManualClock()
        clock.advance(by: testCase.startsAt)
        let store = LocalRateLimiterStore(configuration: configuration, clock: clock, epoch: testCase.startsAt)
        let veriff = SimulatedVeriff(cap: 30, kind: testCase.kind, retryAfter: testCase.retryAfter)
        let run = CapDiscoveryRun(clock: clock, veriff: veriff)

        let first = try await run.run(
            rows: 150,
            limiter: RateLimiter(configuration: configuration, store: store, clock: clock, logger: Self.logger))
        #expect(first.rateLimited <= 2, "\(first.rateLimited) answers 429")
        #expect(first.span <= Self.floor150at30 * 1.1, "the run took \(first.span)")
        let learned = try #require(try await store.learnedCap())
        #expect(learned.acceptedPerMinute <= 30 && learned.acceptedPerMinute >= 27)

        let secondLimiter = RateLimiter(configuration: configuration, store: store, clock: clock, logger: Self.logger)
        let second = try await run.run(rows: 150, limiter: secondLimiter)
        #expect(second.rateLimited == 0)
        #expect(second.span <= Self.floor150at30 * 1.1, "the second run took \(second.span)")
        #expect(await secondLimiter.currentRatePerMinute < 30)
        #expect(WindowCount.largest(veriff.ours.filter { $0 > first.last ?? .zero }, window: .seconds(60)) <= 30)
    }

    @Test("Real cap 600/min, another system takes 150/min: ≥ 0.9 of the 450/min left, ≤ 0.5% answered 429")
    func sharedCap() async throws {
        for kind in [SimulatedVeriff.Kind.sliding, .fixed] {
            let configuration = RateLimitConfiguration.tier(.enterprise)
            let clock = ManualClock()
            let store = LocalRateLimiterStore(configuration: configuration, clock: clock)
            let veriff = SimulatedVeriff(cap: 600, kind: kind, retryAfter: true, backgroundPerWindow: 150)
            let limiter = RateLimiter(configuration: configuration, store: store, clock: clock, logger: Self.logger)
            let rows = 2_250
            let result = try await CapDiscoveryRun(clock: clock, veriff: veriff).run(rows: rows, limiter: limiter)
            let perMinute = Double(rows - 1) / (result.span / .seconds(60))
            #expect(perMinute >= 0.9 * 450, "\(kind): \(perMinute)/min")
            #expect(
                Double(result.rateLimited) <= 0.005 * Double(rows + result.rateLimited),
                "\(kind): \(result.rateLimited)")
        }
    }

    @Test("With the configured cap right, nothing changes: no 429, no learned cap, the full target rate")
    func rightCap() async throws {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        let clock = ManualClock()
        let store = LocalRateLimiterStore(configuration: configuration, clock: clock)
        let veriff = SimulatedVeriff(cap: 600, kind: .sliding, retryAfter: true)
        let limiter = RateLimiter(configuration: configuration, store: store, clock: clock, logger: Self.logger)
        let result = try await CapDiscoveryRun(clock: clock, veriff: veriff).run(rows: 1_800, limiter: limiter)
        #expect(result.rateLimited == 0)
        #expect(try await store.learnedCap() == nil)
        let perMinute = Double(1_799) / (result.span / .seconds(60))
        #expect(abs(perMinute - configuration.targetPerMinute) < 0.01 * configuration.targetPerMinute)
    }
}
