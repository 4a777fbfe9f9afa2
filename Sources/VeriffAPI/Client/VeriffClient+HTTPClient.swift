import AsyncHTTPClient
import NIOCore

extension VeriffClient {
    /// An `HTTPClient.Configuration` suited to Veriff: certificates always verified (the default TLS
    /// configuration), no redirects, no decompression, and a connection pool large enough for many requests in
    /// flight.
    ///
    /// - Parameters:
    ///   - maximumConnections: HTTP/1.1 connections kept per host; set it to the most requests the run keeps in
    ///     flight. Defaults to 64.
    ///   - connectTimeout: The most a TCP+TLS connect may take. Defaults to 10 seconds.
    ///   - idleTimeout: How long an idle pooled connection is kept. Defaults to 60 seconds.
    /// - Returns: A configuration for `HTTPClient(eventLoopGroupProvider:configuration:)`.
    public static func httpClientConfiguration(
        maximumConnections: Int = 64, connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)
    ) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: nil,  // nil = the default client TLS configuration: full certificate verification.
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout), read: nil),
            connectionPool: .init(
                idleTimeout: TimeAmount(idleTimeout),
                concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maximumConnections)
            ),
            proxy: nil,
            ignoreUncleanSSLShutdown: false,
            decompression: .disabled
        )
        configuration.httpVersion = .automatic
        return configuration
    }
}
