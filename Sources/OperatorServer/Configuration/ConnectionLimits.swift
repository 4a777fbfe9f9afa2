/// How long a client may take and how many may be connected: what keeps hostile or broken clients from holding the
/// server's connections and memory.
///
/// Every timeout closes the connection; none of them applies while the server itself is working on an answer (a
/// slow database is not the client's fault: that is the graceful-shutdown period's business).
public struct ConnectionLimits: Sendable, Hashable {
    /// A connection on which no byte of a request has arrived — just accepted, or kept alive after an answer — is
    /// closed after this. Above common reverse proxies' upstream keep-alive (nginx: 60 s), so the proxy, not the
    /// server, ends idle connections. Defaults to 75 seconds.
    public var idleTimeout: Duration
    /// Once the first byte of a request has arrived, its whole head (request line and headers) must arrive within
    /// this; a client trickling a byte every few seconds (slowloris) is cut here. Defaults to 10 seconds.
    public var requestHeadTimeout: Duration
    /// Once the head has arrived, the whole body must arrive within this. Defaults to 30 seconds.
    public var bodyReadTimeout: Duration
    /// At most this many connections are open at once; further connections wait in the listen backlog (and beyond
    /// it are refused by the kernel) until one closes. Defaults to 512.
    public var maximumConnections: Int
    /// The listen backlog. Defaults to 256.
    public var backlog: Int
    /// After an answer that closes the connection before the body was read (401 for a wrong `X-AUTH-CLIENT`, 413):
    /// the server stops sending (FIN) and reads and throws away what the client still sends, so that the client
    /// reads the answer instead of a reset, for at most this long... Defaults to 2 seconds.
    public var refusalDrainTimeout: Duration
    /// ... and at most this many bytes; then the connection is closed. Nothing drained is kept. Defaults to 1 MiB.
    public var refusalDrainBytes: Int

    public init(
        idleTimeout: Duration = .seconds(75), requestHeadTimeout: Duration = .seconds(10),
        bodyReadTimeout: Duration = .seconds(30), maximumConnections: Int = 512, backlog: Int = 256,
        refusalDrainTimeout: Duration = .seconds(2), refusalDrainBytes: Int = 1 << 20
    ) {
        self.idleTimeout = idleTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.maximumConnections = maximumConnections
        self.backlog = backlog
        self.refusalDrainTimeout = refusalDrainTimeout
        self.refusalDrainBytes = refusalDrainBytes
    }
}
