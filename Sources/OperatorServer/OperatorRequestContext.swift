import Hummingbird
import NIOCore

/// What every request of the operator server carries besides itself: the connection, so that a middleware can
/// release the body (``RequestBodyWanted``) and name the peer in a log line.
public struct OperatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel
    /// Who the request comes from, once ``DashboardAuthMiddleware`` authenticated it.
    var dashboardIdentity: DashboardIdentity?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The peer's address, for log lines.
    public var remoteAddress: String { channel.remoteAddress.map { "\($0)" } ?? "-" }

    /// The peer's IP address alone (no port), for the attempts log's actor.
    var remoteHost: String { channel.remoteAddress?.ipAddress ?? "-" }

    /// Lets the request's body be read (see ``RequestGuard``): call once the request is authenticated.
    public func releaseBody() {
        channel.triggerUserOutboundEvent(RequestBodyWanted(), promise: nil)
    }
}
