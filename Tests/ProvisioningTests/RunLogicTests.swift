import Provisioning
import SessionQueue
import Testing
import VeriffAPI

/// A deterministic generator for backoff tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("backoff, circuit breaker, concurrency and classification (pure logic)")
struct RunLogicTests {
    @Test("backoff doubles its ceiling per attempt up to the cap, with full jitter inside it")
    func backoff() {
        let backoff = Backoff(base: .seconds(2), cap: .seconds(60))
        #expect(backoff.ceiling(attempt: 1) == .seconds(2))
        #expect(backoff.ceiling(attempt: 2) == .seconds(4))
        #expect(backoff.ceiling(attempt: 5) == .seconds(32))
        #expect(backoff.ceiling(attempt: 6) == .seconds(60))
        #expect(backoff.ceiling(attempt: 500) == .seconds(60))
        var generator = SeededGenerator(state: 42)
        for attempt in 1...10 {
            let delays = (0..<200).map { _ in backoff.delay(attempt: attempt, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= backoff.ceiling(attempt: attempt) })
            // Full jitter spreads the whole range, not just its top.
            #expect(delays.contains { $0 < backoff.ceiling(attempt: attempt) / 4 })
            #expect(delays.contains { $0 > backoff.ceiling(attempt: attempt) * 3 / 4 })
        }
    }

    @Test("the breaker opens at the threshold once enough answers are in, and closes as successes return")
    func breaker() {
        var breaker = CircuitBreaker(window: 10, minimumSamples: 5, threshold: 0.8)
        for _ in 0..<4 {
            let open = breaker.record(failed: true)
            #expect(!open)  // too few samples yet
        }
        let openAtFive = breaker.record(failed: true)
        #expect(openAtFive)  // 5 of 5
        var healthy = CircuitBreaker(window: 10, minimumSamples: 5, threshold: 0.8)
        for index in 0..<100 {
            let open = healthy.record(failed: index % 2 == 0)
            #expect(!open)  // 50% never opens
        }
        var recovering = CircuitBreaker(window: 10, minimumSamples: 5, threshold: 0.8)
        for _ in 0..<10 { _ = recovering.record(failed: true) }
        #expect(recovering.isOpen)
        for _ in 0..<3 { _ = recovering.record(failed: false) }
        #expect(!recovering.isOpen)  // 7 of 10 failed
    }

    @Test("in-flight target follows rate × latency, within 1...maximum")
    func concurrency() {
        var target = ConcurrencyTarget(maximum: 64, initialLatency: .milliseconds(50))
        #expect(target.limit(ratePerMinute: 600) == 3)  // 10/s × 0.05 s × 2 + 2
        for _ in 0..<50 { target.observe(.seconds(2)) }
        #expect(target.limit(ratePerMinute: 600) == 42)  // 10/s × 2 s × 2 + 2
        #expect(target.limit(ratePerMinute: 30) == 4)
        #expect(target.limit(ratePerMinute: 6_000_000) == 64)
        #expect(target.limit(ratePerMinute: .infinity) == 64)
    }

    private let row = ClaimedRow(id: 7, attempts: 2, inDoubt: false, endUser: EndUser(firstName: "A"))

    private func classify(_ outcome: SessionOutcome, row: ClaimedRow? = nil, holdInDoubt: Bool = false)
        -> (RowResult, AttemptClassifier.Signal)
    {
        var generator = SeededGenerator(state: 1)
        let classifier = AttemptClassifier(maxAttempts: 3, holdInDoubt: holdInDoubt, backoff: Backoff())
        let result = classifier.classify(
            SessionAttempt(outcome: outcome, httpStatus: 500, duration: .milliseconds(30)), row: row ?? self.row,
            startedAt: 0, using: &generator)
        return (result.result, result.signal)
    }

    @Test("each answer maps to the right fate")
    func classification() {
        let session = CreatedSession(id: "s1", url: "https://x/v/1", sessionToken: "t")
        #expect(classify(.created(session)).0.disposition == .provisioned(session))
        let refused = VeriffFailure(httpStatus: 400, code: "1104", message: "bad")
        if case .failed(let code, let message) = classify(.rejected(refused)).0.disposition {
            #expect(code == "1104")
            #expect(message.contains("HTTP 400") && message.contains("bad"))
        } else {
            Issue.record("rejected should fail the row")
        }
        if case .retry(let delay, let code, _) = classify(.transient("503")).0.disposition {
            #expect(code == "transient")
            #expect(delay <= Backoff().ceiling(attempt: 2))
        } else {
            Issue.record("transient should retry")
        }
        let last = ClaimedRow(id: 7, attempts: 3, inDoubt: false, endUser: EndUser())
        if case .failed(_, let message) = classify(.transient("503"), row: last).0.disposition {
            #expect(message.contains("gave up after 3 attempts"))
        } else {
            Issue.record("out of attempts should fail the row")
        }
        let (doubt, _) = classify(.inDoubt("timeout after sending"))
        #expect(doubt.inDoubt)
        if case .retry = doubt.disposition {} else { Issue.record("in doubt is re-sent by default") }
        let (held, _) = classify(.inDoubt("reset"), holdInDoubt: true)
        if case .held(let message) = held.disposition {
            #expect(message.contains("vendorData 7"))
        } else {
            Issue.record("in doubt is held with --hold-in-doubt")
        }
        let (limited, signal) = classify(.rateLimited(retryAfter: .seconds(5)))
        #expect(signal == .rateLimited(retryAfter: .seconds(5)))
        if case .rateLimited(let after) = limited.disposition { #expect(after >= .seconds(5)) } else {
            Issue.record("429 reschedules with the attempt refunded")
        }
        let wrongKey = VeriffFailure(httpStatus: 401, code: "1803", message: "integration not found")
        let (fatal, fatalSignal) = classify(.fatal(wrongKey))
        #expect(fatal.disposition == .released)
        #expect(fatalSignal == .fatal(wrongKey))
        #expect(fatal.attempt?.outcome == "fatal")
    }
}
