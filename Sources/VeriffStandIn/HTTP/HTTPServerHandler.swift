import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Gathers one request (head + body up to the limit), asks the responder, writes the answer.
///
/// Sits behind NIO's `HTTPServerPipelineHandler`, which serialises pipelined requests and closes the connection
/// on `ChannelShouldQuiesceEvent` once the current answer is written (graceful shutdown).
final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: any HTTPResponder
    private let maximumBodySize: Int
    private let logger: Logger
    private let registry: ConnectionRegistry
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    /// The body went over the limit: the rest of this request is ignored and the connection closes.
    private var discarding = false

    init(responder: any HTTPResponder, maximumBodySize: Int, registry: ConnectionRegistry, logger: Logger) {
        self.responder = responder
        self.registry = registry
        self.maximumBodySize = maximumBodySize
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            discarding = false
            if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let interim = HTTPResponseHead(version: requestHead.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
        case .body(var part):
            guard !discarding, let requestHead = head else { return }
            if body.readableBytes + part.readableBytes > maximumBodySize {
                discarding = true
                let response = HTTPResponse(
                    status: .payloadTooLarge, contentType: "text/plain",
                    body: "request body larger than \(maximumBodySize) bytes\n"
                )
                write(response, for: requestHead, keepAlive: false, context: context)
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard !discarding, let requestHead = head else { return }
            head = nil
            let request = HTTPRequest(
                method: requestHead.method, uri: requestHead.uri, headers: requestHead.headers, body: body,
                remoteAddress: context.channel.remoteAddress
            )
            body = ByteBuffer()
            if let response = responder.respondImmediately(to: request) {
                deliver(response, for: requestHead, context: context)
                return
            }
            let responder = self.responder
            let eventLoop = context.eventLoop
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: eventLoop)
            // The task is registered so that shutdown can wait for it (and cancel it after the grace period).
            registry.run {
                let response = await responder.respond(to: request)
                eventLoop.execute {
                    bound.value.handler.deliver(response, for: requestHead, context: bound.value.context)
                }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("HTTP connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    /// Writes `response` now or after its delay, or resets the connection.
    private func deliver(_ response: HTTPResponse, for requestHead: HTTPRequestHead, context: ChannelHandlerContext) {
        guard let delay = response.delay, delay > .zero else {
            finish(response, for: requestHead, context: context)
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.finish(response, for: requestHead, context: context)
        }
    }

    private func finish(_ response: HTTPResponse, for requestHead: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if response.resetsConnection {
            // SO_LINGER 0 makes close() send RST instead of FIN: the peer sees "connection reset by peer".
            guard let options = context.channel as? any SocketOptionProvider else {
                context.close(promise: nil)
                return
            }
            options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        write(response, for: requestHead, keepAlive: requestHead.isKeepAlive, context: context)
    }

    private func write(
        _ response: HTTPResponse, for requestHead: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if requestHead.version.major == 1 && requestHead.version.minor == 0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        let responseHead = HTTPResponseHead(version: requestHead.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let promise = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
            promise.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
