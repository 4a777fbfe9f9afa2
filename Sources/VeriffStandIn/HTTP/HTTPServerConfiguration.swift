/// Where and how an ``HTTPServer`` listens.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind. Defaults to `127.0.0.1`.
    public var host: String
    /// The port to bind; `0` picks a free one (see ``HTTPServer/port``). Defaults to `0`.
    public var port: Int
    /// Larger request bodies get 413 and the connection is closed. Defaults to 1 MiB.
    public var maximumBodySize: Int
    /// How long ``HTTPServer/shutdown()`` lets in-flight requests finish before closing. Defaults to 5 seconds.
    public var shutdownGracePeriod: Duration
    /// The listen backlog. Defaults to 1,024.
    public var backlog: Int32

    public init(
        host: String = "127.0.0.1", port: Int = 0, maximumBodySize: Int = 1 << 20,
        shutdownGracePeriod: Duration = .seconds(5), backlog: Int32 = 1024
    ) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.shutdownGracePeriod = shutdownGracePeriod
        self.backlog = backlog
    }
}
