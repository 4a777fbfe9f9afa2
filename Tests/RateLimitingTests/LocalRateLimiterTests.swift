import Logging
import Testing

@testable import RateLimiting

@Suite("Local rate limiter on a manual clock", .timeLimit(.minutes(10)))
struct LocalRateLimiterTests {
    static let configurations: [RateLimitConfiguration] = [
        .tier(.enterprise), .tier(.selfServe), RateLimitConfiguration(cap: 137),
    ]

    static func limiter(_ configuration: RateLimitConfiguration, clock: ManualClock) -> RateLimiter<ManualClock> {
        .local(configuration: configuration, clock: clock, logger: Logger(label: "test.limiter"))
    }

    @Test("A burst of demand never puts more than the cap in any window", arguments: configurations)
    func windowBoundUnderBurst(configuration: RateLimitConfiguration) async throws {
        let clock = ManualClock()
        let limiter = Self.limiter(configuration, clock: clock)
        // Eight senders, each wanting to send 1.5 windows' worth right now.
        let perSender = configuration.windowLimit * 3 / 16 + 1
        let plans = Array(
            repeating: SimulatedSenders.Plan(wantedAt: Array(repeating: .zero, count: perSender)), count: 8)
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiter: limiter)
        #expect(sent.count == perSender * 8)
        #expect(WindowCount.largest(sent, window: configuration.window) <= configuration.windowLimit)
    }

    @Test(
        "Steady state sends within 1% of the target rate, and uses at least 97% of the cap", arguments: configurations)
    func steadyState(configuration: RateLimitConfiguration) async throws {
        let clock = ManualClock()
        let limiter = Self.limiter(configuration, clock: clock)
        // Four busy senders for about five windows.
        let total = Int(configuration.targetPerWindow * 5)
        let plans = Array(
            repeating: SimulatedSenders.Plan(wantedAt: Array(repeating: .zero, count: total / 4)), count: 4)
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiter: limiter)
        let first = try #require(sent.first)
        let last = try #require(sent.last)
        let perWindow = Double(sent.count - 1) / ((last - first) / configuration.window)
        #expect(abs(perWindow / configuration.targetPerWindow - 1) < 0.01)
        #expect(perWindow >= 0.97 * configuration.cap)
        #expect(WindowCount.largest(sent, window: configuration.window) <= configuration.windowLimit)
    }

    @Test("Senders that wake late or stall catch up: no capacity lost, bound kept", arguments: configurations)
    func lateSenders(configuration: RateLimitConfiguration) async throws {
        let clock = ManualClock()
        let limiter = Self.limiter(configuration, clock: clock)
        let interval = configuration.emissionInterval
        let tolerance = configuration.burstTolerance
        let total = Int(configuration.targetPerWindow * 4)
        let plans = Array(
            repeating: SimulatedSenders.Plan(wantedAt: Array(repeating: .zero, count: total / 3)), count: 3)
        // Three senders each busy for up to 2.5 intervals after a send, and every 25th send stalls for τ.
        let sent = try await SimulatedSenders(clock: clock).run(plans, limiter: limiter) { sender, send in
            send % 25 == 24 ? tolerance : interval * (Double((sender * 7 + send * 13) % 11) / 4.4)
        }
        let first = try #require(sent.first)
        let last = try #require(sent.last)
        let perWindow = Double(sent.count - 1) / ((last - first) / configuration.window)
        #expect(perWindow >= 0.99 * configuration.targetPerWindow)
        #expect(WindowCount.largest(sent, window: configuration.window) <= configuration.windowLimit)
    }

    @Test("Random schedules with idle gaps and bursts never exceed the cap in any window")
    func randomSchedules() async throws {
        var seeds = SplitMix64(seed: 0x5EED_0004)
        for _ in 0..<120 {
            let seed = seeds.next()
            var random = SplitMix64(seed: seed)
            let cap = [1.0, 2, 7, 30, 45.5, 137, 600, Double.random(in: 1...300, using: &random)].randomElement(
                using: &random)!
            let headroom = [0, 0.02, 0.1, Double.random(in: 0..<0.5, using: &random)].randomElement(using: &random)!
            let window = Duration.seconds([1, 10, 60].randomElement(using: &random)!)
            let configuration = RateLimitConfiguration(cap: cap, headroom: headroom, window: window)
            let senders = Int.random(in: 1...6, using: &random)
            let plans = (0..<senders).map { _ in
                SimulatedSenders.Plan(wantedAt: Self.bursty(configuration, using: &random))
            }
            let clock = ManualClock()
            let limiter = Self.limiter(configuration, clock: clock)
            let interval = configuration.emissionInterval
            let sent = try await SimulatedSenders(clock: clock).run(plans, limiter: limiter) { sender, send in
                interval * (Double((Int(truncatingIfNeeded: seed) &+ sender &* 31 &+ send &* 17) & 7) / 3)
            }
            let largest = WindowCount.largest(sent, window: window)
            #expect(
                largest <= configuration.windowLimit,
                "seed \(seed): \(largest) sends in one window, cap \(cap), headroom \(headroom), \(senders) senders")
            #expect(sent.count == plans.map(\.wantedAt.count).reduce(0, +))
        }
    }

    /// Wanted send times in bursts: a run of sends at one instant, then idle for up to three windows.
    static func bursty(_ configuration: RateLimitConfiguration, using random: inout SplitMix64) -> [Duration] {
        var times: [Duration] = []
        var at = Duration.zero
        let budget = min(configuration.windowLimit * 3, 400)
        while times.count < budget {
            let burst = Int.random(in: 1...max(1, configuration.windowLimit), using: &random)
            times += Array(repeating: at, count: min(burst, budget - times.count))
            at += configuration.window * Double.random(in: 0...3, using: &random)
        }
        return times
    }
}
