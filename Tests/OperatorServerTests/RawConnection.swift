import NIOCore
import NIOPosix
import Synchronization

/// A TCP connection to the server that sends exactly the bytes it is told, when it is told: for idle, slow and
/// half-sent requests that no HTTP client would make. Records what the server sends back and when it closed.
final class RawConnection: Sendable {
    private let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects to `127.0.0.1:port`.
    static func open(port: Int) async throws -> RawConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, collector: collector)
    }

    /// Sends `text` as UTF-8 (errors, such as a connection the server closed, are returned, not thrown).
    @discardableResult
    func send(_ text: String) async -> Bool {
        await send(ByteBuffer(string: text))
    }

    /// Sends `count` bytes of `x`.
    @discardableResult
    func send(filler count: Int) async -> Bool {
        await send(ByteBuffer(repeating: UInt8(ascii: "x"), count: count))
    }

    private func send(_ buffer: ByteBuffer) async -> Bool {
        do {
            try await channel.writeAndFlush(buffer)
            return true
        } catch {
            return false
        }
    }

    /// Whether the connection is closed (by the server: the tests never close first unless they say so).
    var isClosed: Bool { !channel.isActive }

    /// Waits until the connection is closed.
    func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }

    /// What the server sent so far, as text.
    var receivedText: String { collector.bytes.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Waits until the server has sent `text`, or the connection closed, or `timeout` passed.
    func waitForReceived(containing text: String, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if receivedText.contains(text) { return true }
            if isClosed { return receivedText.contains(text) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Closes the connection from this side.
    func close() async {
        try? await channel.close()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

/// A value shared between tasks of a test.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
