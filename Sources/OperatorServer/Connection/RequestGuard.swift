import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Sits after the HTTP decoder: tells ``ConnectionGuard`` where each request and answer begins and ends, and holds
/// the body back until the request is authenticated.
///
/// After a request head it stops asking the socket for bytes (it withholds `read()`), so the body stays in the
/// client's and the kernel's buffers, not in the server's memory, until either a middleware sends
/// ``RequestBodyWanted`` (the request is authenticated, or needs no authentication) or an answer is written
/// without the body (the framework then reads and drops it, or the connection closes). Only what came in the same
/// socket reads as the head can be decoded before that: a few kilobytes.
///
/// Every route that reads a body must sit behind a middleware that sends ``RequestBodyWanted``; without it the body
/// never comes and the request ends at ``ConnectionLimits/bodyReadTimeout``.
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let connection: ConnectionGuard
    /// Reads are withheld: a head came and nobody asked for its body yet.
    private var holdingBody = false
    /// A `read()` arrived while holding: pass it on when released.
    private var readPending = false
    /// The current request asked for `100 Continue` before sending its body.
    private var expectsContinue = false
    /// The answer being written says `Connection: close`.
    private var closingAnswer = false

    init(connection: ConnectionGuard) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            holdingBody = true
            expectsContinue = head.headerFields[.expect]?.lowercased() == "100-continue"
            connection.headReceived()
        case .body:
            break
        case .end:
            connection.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard !holdingBody else {
            readPending = true
            return
        }
        context.read()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is RequestBodyWanted else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if holdingBody && expectsContinue {
            expectsContinue = false
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        release(context: context)
        promise?.succeed()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.status.kind != .informational {
                closingAnswer = head.headerFields[.connection]?.lowercased() == "close"
                // The answer does without the body: let it be read (and dropped) or drained.
                expectsContinue = false
                release(context: context)
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let closing = closingAnswer
            closingAnswer = false
            let written = promise ?? context.eventLoop.makePromise()
            let connection = self.connection
            written.futureResult.assumeIsolated().whenSuccess { connection.answerWritten(closing: closing) }
            context.write(data, promise: written)
        }
    }

    private func release(context: ChannelHandlerContext) {
        holdingBody = false
        if readPending {
            readPending = false
            context.read()
        }
    }
}
