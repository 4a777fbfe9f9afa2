import ArgumentParser
import RateLimiting

/// The send-rate limiter's command-line options: `--tier`, `--rate`, `--headroom` (and a hidden `--window-seconds`).
struct LimiterOptions: ParsableArguments {
    /// Veriff's tier presets, as typed on the command line.
    enum TierName: String, ExpressibleByArgument, CaseIterable {
        case enterprise
        case selfServe = "self-serve"

        var tier: RateLimitConfiguration.Tier {
            switch self {
            case .enterprise: .enterprise
            case .selfServe: .selfServe
            }
        }
    }

    @Option(
        help: ArgumentHelp(
            "The integration's tier: enterprise (600 sessions/min) or self-serve (30/min).",
            discussion: "Without --tier or --rate the Self-Serve cap applies: too slow is safe, too fast gets 429s."))
    var tier: TierName?

    @Option(
        help: ArgumentHelp(
            "The cap in sessions per minute, any positive number (instead of --tier).",
            discussion: "No 60-second window ever holds more sends than this, across every runner sharing the database."
        ))
    var rate: Double?

    @Option(
        help: ArgumentHelp(
            "The fraction of the cap left unused, for jitter and for other systems on the same integration.",
            discussion:
                "Defaults to 0.02. If the company's web sign-up creates sessions on this integration, raise it to "
                + "that share of the cap (e.g. 0.2)."))
    var headroom: Double = 0.02

    @Option(name: .customLong("window-seconds"), help: ArgumentHelp(visibility: .hidden))
    var windowSeconds: Double = 60

    func validate() throws {
        do {
            _ = try configuration()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The limiter configuration these options describe.
    /// - Throws: ``RateLimitError`` naming the bad option.
    func configuration() throws(RateLimitError) -> RateLimitConfiguration {
        try RateLimitConfiguration.fromSettings(
            tier: tier?.tier, cap: rate, headroom: headroom, windowSeconds: windowSeconds)
    }
}
