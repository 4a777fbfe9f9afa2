/// Counting sends in sliding windows, the way a strict server would.
enum WindowCount {
    /// The largest number of sends in any closed window `[t, t + window]` (the strictest way to count).
    /// - Parameters:
    ///   - times: send times, sorted.
    ///   - window: the window length.
    static func largest(_ times: [Duration], window: Duration) -> Int {
        var largest = 0
        var end = 0
        for start in times.indices {
            if end < start { end = start }
            while end < times.count && times[end] - times[start] <= window { end += 1 }
            largest = max(largest, end - start)
        }
        return largest
    }
}

/// A small seeded generator (SplitMix64), so a failing schedule can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
