import Logging
import NIOCore

/// The first handler of every connection, on raw bytes: keeps the connection's deadlines and, after a refusal,
/// drains and closes it.
///
/// Its clock runs in phases, one deadline at a time (see ``ConnectionLimits``):
/// - waiting for a request (accepted, or kept alive after an answer): ``ConnectionLimits/idleTimeout``;
/// - the first byte of a request arrived: its head must be complete within ``ConnectionLimits/requestHeadTimeout``
///   (the decoder buffers partial heads, so only raw bytes show that a slow head has started);
/// - the head arrived (``RequestGuard`` says so): the body must end within ``ConnectionLimits/bodyReadTimeout``;
/// - the request is read: no deadline while the server answers;
/// - an answer with `Connection: close` was written: the output is shut (FIN) and what the client still sends is
///   read and dropped here, before the HTTP decoder, for ``ConnectionLimits/refusalDrainTimeout`` and
///   ``ConnectionLimits/refusalDrainBytes`` at most; then the connection is closed.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Why the server closed a connection itself.
    enum CloseReason: String, CaseIterable, Sendable {
        case idleTimeout = "idle_timeout"
        case requestHeadTimeout = "head_timeout"
        case bodyReadTimeout = "body_timeout"
        case refused = "refused"
    }

    private enum Phase {
        case waitingForRequest
        case readingHead
        case readingBody(answered: Bool)
        case answering
        case draining(bytes: Int)
        case closed
    }

    private let limits: ConnectionLimits
    private let statistics: ConnectionStatistics
    private let logger: Logger
    private var phase = Phase.waitingForRequest
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    private var counted = false

    init(limits: ConnectionLimits, statistics: ConnectionStatistics, logger: Logger) {
        self.limits = limits
        self.statistics = statistics
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { opened() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closed()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        opened()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        context.fireChannelInactive()
    }

    private func opened() {
        guard !counted else { return }
        counted = true
        statistics.opened()
        arm(limits.idleTimeout, .idleTimeout)
    }

    private func closed() {
        cancelDeadline()
        phase = .closed
        if counted {
            counted = false
            statistics.closed()
        }
    }

    // MARK: Inbound bytes

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytes
        switch phase {
        case .waitingForRequest:
            guard bytes > 0 else { break }
            phase = .readingHead
            arm(limits.requestHeadTimeout, .requestHeadTimeout)
        case .draining(let drained):
            let total = drained + bytes
            phase = .draining(bytes: total)
            if total > limits.refusalDrainBytes { close(.refused) }
            return
        case .closed:
            return
        case .readingHead, .readingBody, .answering:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .draining = phase {
            // Nobody above asks for more while draining: keep reading until the client stops or a limit is hit.
            context.read()
            return
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .draining = phase, let event = event as? ChannelEvent, event == .inputClosed {
            // The client read the answer and closed its side: done.
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: What RequestGuard reports

    /// A request head was decoded: the body's deadline starts.
    func headReceived() {
        switch phase {
        case .waitingForRequest, .readingHead:
            // (Waiting: a head decoded from bytes that came with the previous request, pipelined.)
            phase = .readingBody(answered: false)
            arm(limits.bodyReadTimeout, .bodyReadTimeout)
        case .readingBody, .answering, .draining, .closed:
            break
        }
    }

    /// The request's end was decoded: no deadline while the server answers (or, when it answered already, the
    /// connection waits for the next request).
    func requestEnded() {
        guard case .readingBody(let answered) = phase else { return }
        if answered {
            phase = .waitingForRequest
            arm(limits.idleTimeout, .idleTimeout)
        } else {
            phase = .answering
            cancelDeadline()
        }
    }

    /// An answer was written completely.
    ///
    /// - Parameter closing: The answer said `Connection: close`: drain, then close. Otherwise the connection waits
    ///   for the next request (when the body was not read yet, its deadline keeps running while it is thrown away).
    func answerWritten(closing: Bool) {
        guard let context else { return }
        switch phase {
        case .closed, .draining:
            return
        case _ where closing:
            phase = .draining(bytes: 0)
            arm(limits.refusalDrainTimeout, .refused)
            // Small fixed reads while draining: what is thrown away never needs the 64 KiB buffers a fast sender
            // grows the adaptive allocator to (300 draining connections would hold 300 of them at once).
            try? context.channel.syncOptions?.setOption(
                ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
            context.close(mode: .output, promise: nil)
            context.read()
        case .readingBody:
            phase = .readingBody(answered: true)
        case .answering, .waitingForRequest:
            // (Waiting: the next request's head came with this one's bytes and is already decoded.)
            phase = .waitingForRequest
            arm(limits.idleTimeout, .idleTimeout)
        case .readingHead:
            // The next request has begun: its head deadline keeps running.
            break
        }
    }

    // MARK: Deadlines

    private func arm(_ timeout: Duration, _ reason: CloseReason) {
        cancelDeadline()
        guard let context else { return }
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: TimeAmount(timeout)) { [self] in
            deadline = nil
            close(reason)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func close(_ reason: CloseReason) {
        guard let context, context.channel.isActive else { return }
        cancelDeadline()
        phase = .closed
        statistics.closedByServer(reason)
        logger.debug(
            "closing connection",
            metadata: [
                "http.close_reason": "\(reason.rawValue)",
                "http.remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "-")",
            ])
        context.close(promise: nil)
    }
}
