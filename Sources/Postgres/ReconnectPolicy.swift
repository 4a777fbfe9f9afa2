/// How long and how often an operation is tried again after its database connection was lost: the project's one
/// reconnect policy (used through ``PostgresConnectionPool/withConnection(retrying:isolation:_:)``).
///
/// The delays double from ``firstDelay`` up to ``maximumDelay`` until their sum would pass ``giveUpAfter``. The
/// default rides out a PostgreSQL restart (a few seconds) without holding a run for long when the server is gone.
public struct ReconnectPolicy: Sendable, Hashable {
    /// The first wait. Defaults to 250 ms.
    public var firstDelay: Duration = .milliseconds(250)
    /// The longest single wait. Defaults to 5 seconds.
    public var maximumDelay: Duration = .seconds(5)
    /// No new attempt starts once the waits add up to this. Defaults to 30 seconds.
    public var giveUpAfter: Duration = .seconds(30)

    public init(
        firstDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(5),
        giveUpAfter: Duration = .seconds(30)
    ) {
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
    }

    /// The default: 250 ms doubling to 5 s, for up to 30 s.
    public static let standard = ReconnectPolicy()

    /// The waits between attempts, in order; the sequence ends when the policy gives up.
    public func delays() -> Delays { Delays(policy: self) }

    /// The waits of one operation's retries.
    public struct Delays: IteratorProtocol, Sendable {
        private let policy: ReconnectPolicy
        private var upcoming: Duration
        private var waited: Duration = .zero

        init(policy: ReconnectPolicy) {
            self.policy = policy
            self.upcoming = policy.firstDelay
        }

        public mutating func next() -> Duration? {
            guard waited < policy.giveUpAfter else { return nil }
            let delay = upcoming
            waited += delay
            upcoming = min(upcoming * 2, policy.maximumDelay)
            return delay
        }
    }
}
