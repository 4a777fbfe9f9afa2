extension RateLimitConfiguration {
    /// Builds a configuration from command-line settings, checking each one.
    ///
    /// `tier` and `cap` are mutually exclusive: a script that names both probably carries a stale one, and
    /// guessing which wins could send at twenty times the cap. With neither, the Self-Serve cap (30 per minute)
    /// applies: too slow is safe, too fast gets 429s.
    /// - Parameters:
    ///   - tier: a Veriff tier preset, if given.
    ///   - cap: sends per window (per minute with the default window), if given; any positive number.
    ///   - headroom: the share of the cap left unused, in [0, 1).
    ///   - windowSeconds: the window length in seconds (60 unless a test scales it down).
    /// - Throws: ``RateLimitError/invalidSetting(_:_:)`` naming the option and the problem.
    /// The largest cap accepted, per window: far above any Veriff tier (benchmarks run "uncapped" at 60,000,000),
    /// small enough that every derived interval stays representable.
    public static let maximumCap = 1e9

    public static func fromSettings(
        tier: Tier?, cap: Double?, headroom: Double = 0.02, windowSeconds: Double = 60
    ) throws(RateLimitError) -> Self {
        if tier != nil && cap != nil {
            throw .invalidSetting("--rate", "give either --tier or --rate, not both")
        }
        if let cap, !(cap > 0 && cap <= maximumCap) {
            throw .invalidSetting(
                "--rate", "must be a positive number of sessions per minute up to 1000000000, got \(cap)")
        }
        guard headroom >= 0 && headroom < 1 else {
            throw .invalidSetting(
                "--headroom", "must be at least 0 and below 1 (a fraction of the cap), got \(headroom)")
        }
        guard windowSeconds >= 0.001 && windowSeconds <= 86_400 else {
            throw .invalidSetting(
                "--window-seconds", "must be a number of seconds from 0.001 to 86400, got \(windowSeconds)")
        }
        let resolvedCap = cap ?? (tier ?? .selfServe).capPerMinute
        return Self(cap: resolvedCap, headroom: headroom, window: .seconds(windowSeconds))
    }
}
