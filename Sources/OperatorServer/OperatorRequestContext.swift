import Hummingbird
import NIOCore

/// What every request of the operator server carries besides itself: the connection, so that a middleware can
/// release the body (``RequestBodyWanted``) and name the peer in a log line.
public struct OperatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The peer's address, for log lines.
    public var remoteAddress: String { channel.remoteAddress.map { "\($0)" } ?? "-" }

    /// Lets the request's body be read (see ``RequestGuard``): call once the request is authenticated.
    public func releaseBody() {
        channel.triggerUserOutboundEvent(RequestBodyWanted(), promise: nil)
    }
}
