/// Arrivals in the current fixed window: windows are consecutive multiples of the window length since the Unix epoch
/// (clock minutes for a 60-second window), and the count starts again at each one.
///
/// Times are nanoseconds since the stand-in started; `origin` is that start in nanoseconds since the Unix epoch.
struct FixedWindow: Sendable {
    let window: Int64
    let origin: Int64
    private var current = Int64.min
    private var inWindow = 0
    /// The most arrivals seen in one fixed window.
    private(set) var maximum = 0

    init(window: Duration, origin: Int64) {
        let parts = window.components
        self.window = max(1, parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
        self.origin = origin
    }

    /// Arrivals in the fixed window that holds `now`.
    mutating func count(at now: Int64) -> Int {
        roll(to: now)
        return inWindow
    }

    /// Records an arrival at `now`; times must not decrease.
    mutating func record(at now: Int64) {
        roll(to: now)
        inWindow += 1
        maximum = max(maximum, inWindow)
    }

    /// How long until the next window starts.
    func timeUntilSlotFrees(at now: Int64) -> Int64 {
        let index = Self.floorDivide(origin + now, window)
        return (index + 1) * window - (origin + now)
    }

    private mutating func roll(to now: Int64) {
        let index = Self.floorDivide(origin + now, window)
        if index != current {
            current = index
            inWindow = 0
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }
}
