/// Sent down a connection's pipeline (`channel.triggerUserOutboundEvent`) by a middleware that authenticated a
/// request: ``RequestGuard`` then lets the body be read (and answers `Expect: 100-continue`).
///
/// Until then, after a request head, the connection reads nothing more from the socket: an unauthenticated client
/// cannot make the server buffer its body.
public struct RequestBodyWanted: Sendable {
    public init() {}
}
