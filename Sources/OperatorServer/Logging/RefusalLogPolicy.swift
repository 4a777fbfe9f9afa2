/// How often refused requests are logged: per reason, a burst of lines, then one line per interval; the lines
/// left out are counted and the next line of that reason says how many.
public struct RefusalLogPolicy: Sendable, Hashable {
    /// Lines of one reason logged at once before the rate applies. Defaults to 10.
    public var burst: Int
    /// After the burst, at most one line of one reason per this interval. Defaults to 1 second.
    public var interval: Duration

    public init(burst: Int = 10, interval: Duration = .seconds(1)) {
        self.burst = max(1, burst)
        self.interval = interval
    }
}
