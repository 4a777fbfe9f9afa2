/// Arrival times within the last `window`: O(1) amortised per arrival (a ring kept in an array).
///
/// Time is passed in as nanoseconds since an origin the caller chooses, so tests need no clock.
struct SlidingWindow: Sendable {
    let window: Int64
    private var times: [Int64] = []
    private var head = 0
    /// The most arrivals ever seen in one window (windows ending at an arrival, which is where the maximum is).
    private(set) var maximum = 0

    init(window: Duration) {
        let parts = window.components
        self.window = max(1, parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }

    /// Arrivals in `(now - window, now]`.
    mutating func count(at now: Int64) -> Int {
        expire(before: now)
        return times.count - head
    }

    /// Records an arrival at `now`; times must not decrease.
    mutating func record(at now: Int64) {
        expire(before: now)
        times.append(now)
        maximum = max(maximum, times.count - head)
    }

    /// How long until the oldest arrival leaves the window (zero when it is empty).
    func timeUntilSlotFrees(at now: Int64) -> Int64 {
        guard head < times.count else { return 0 }
        return max(0, times[head] + window - now)
    }

    private mutating func expire(before now: Int64) {
        let limit = now - window
        while head < times.count, times[head] <= limit { head += 1 }
        // Compact when the dead prefix is both large and most of the array: amortised O(1).
        if head > 4096 && head * 2 > times.count {
            times.removeFirst(head)
            head = 0
        }
    }
}
