import RateLimiting
import Testing

@Suite("Rate limit configuration")
struct RateLimitConfigurationTests {
    static let configurations: [RateLimitConfiguration] = [
        .tier(.enterprise), .tier(.selfServe), RateLimitConfiguration(cap: 137), RateLimitConfiguration(cap: 45.5),
        RateLimitConfiguration(cap: 600, headroom: 0), RateLimitConfiguration(cap: 0.5),
        RateLimitConfiguration(cap: 600_000), RateLimitConfiguration(cap: 120, window: .seconds(10)),
    ]

    @Test(
        "The bound with tolerance, lateness and half the slack for jitter stays within the cap",
        arguments: configurations)
    func boundHolds(configuration: RateLimitConfiguration) {
        let interval = configuration.emissionInterval
        #expect(configuration.slack > .zero)
        // Slots are ≥ k·T − τ apart; sends up to L late; jitter up to slack/2 (strictly less).
        let reach =
            configuration.window + configuration.burstTolerance + configuration.latenessLimit
            + configuration.slack / 2
        let bound = Int((reach / interval).rounded(.down)) + 1
        #expect(bound <= configuration.windowLimit + 1)  // equality only at exactly slack/2 of jitter
        let withoutJitter = configuration.window + configuration.burstTolerance + configuration.latenessLimit
        #expect(Int((withoutJitter / interval).rounded(.down)) + 1 <= configuration.windowLimit)
    }

    @Test("Tiers and the default headroom use at least 97% of the cap")
    func tiers() {
        let enterprise = RateLimitConfiguration.tier(.enterprise)
        #expect(enterprise.windowLimit == 600)
        #expect(abs(enterprise.targetPerMinute - 588) < 1e-9)
        #expect(abs(enterprise.emissionInterval / .seconds(1) - 60.0 / 588) < 1e-12)
        let selfServe = RateLimitConfiguration.tier(.selfServe)
        #expect(selfServe.windowLimit == 30)
        #expect(abs(selfServe.targetPerMinute - 29.4) < 1e-9)
        // With 2% headroom the slack is about 1.22 s of a 60 s window, whatever the cap.
        for configuration in [enterprise, selfServe, RateLimitConfiguration(cap: 137)] {
            #expect(abs(configuration.slack / .seconds(1) - 60 * (1 / 0.98 - 1)) < 1e-6)
            #expect(configuration.targetPerWindow >= 0.97 * configuration.cap)
        }
    }

    @Test("Zero headroom still keeps a 0.5% timing margin")
    func zeroHeadroom() {
        let configuration = RateLimitConfiguration(cap: 600, headroom: 0)
        #expect(abs(configuration.targetPerMinute - 600 / 1.005) < 1e-9)
        #expect(configuration.slack > .milliseconds(290))
    }

    @Test("Retry-After is clamped to [1 s, 10 min], 30 s when absent")
    func retryAfterClamp() {
        let configuration = RateLimitConfiguration.tier(.enterprise)
        #expect(configuration.pauseDuration(retryAfter: nil) == .seconds(30))
        #expect(configuration.pauseDuration(retryAfter: .milliseconds(10)) == .seconds(1))
        #expect(configuration.pauseDuration(retryAfter: .zero) == .seconds(1))
        #expect(configuration.pauseDuration(retryAfter: .seconds(7)) == .seconds(7))
        #expect(configuration.pauseDuration(retryAfter: .seconds(3_600)) == .seconds(600))
    }

    @Test("Command-line settings: defaults, presets, and each bad value named")
    func settings() throws {
        #expect(try RateLimitConfiguration.fromSettings(tier: nil, cap: nil).cap == 30)
        #expect(try RateLimitConfiguration.fromSettings(tier: .enterprise, cap: nil).cap == 600)
        let custom = try RateLimitConfiguration.fromSettings(tier: nil, cap: 120, headroom: 0.1, windowSeconds: 10)
        #expect(custom.cap == 120 && custom.headroom == 0.1 && custom.window == .seconds(10))
        let bad: [(RateLimitConfiguration.Tier?, Double?, Double, Double, String)] = [
            (.enterprise, 100, 0.02, 60, "--rate"), (nil, 0, 0.02, 60, "--rate"), (nil, -5, 0.02, 60, "--rate"),
            (nil, .infinity, 0.02, 60, "--rate"), (nil, .nan, 0.02, 60, "--rate"), (nil, 30, 1, 60, "--headroom"),
            (nil, 30, -0.1, 60, "--headroom"), (nil, 30, 0.02, 0, "--window-seconds"),
        ]
        for (tier, cap, headroom, window, option) in bad {
            let error = #expect(throws: RateLimitError.self) {
                try RateLimitConfiguration.fromSettings(tier: tier, cap: cap, headroom: headroom, windowSeconds: window)
            }
            #expect(error?.subject == option)
            #expect(error?.isInvalidSetting == true)
        }
    }
}
