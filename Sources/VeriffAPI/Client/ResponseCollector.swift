import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Collects one answer and remembers how far the exchange got, which decides "transient" versus "in doubt".
final class ResponseCollector: HTTPClientResponseDelegate, Sendable {
    /// A complete answer.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// How far the exchange got.
    struct Progress: Sendable {
        /// The whole request was written to the connection: Veriff may have acted on it.
        var requestSent = false
        var head: HTTPResponseHead?
        var body = ByteBuffer()
        var bodyTooLarge = false
    }

    private let maximumBodySize: Int
    private let state = Mutex(Progress())

    init(maximumBodySize: Int) {
        self.maximumBodySize = maximumBodySize
    }

    var progress: Progress { state.withLock { $0 } }

    func didSendRequest(task: HTTPClient.Task<Answer>) {
        state.withLock { $0.requestSent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock {
            // An answer implies the request was read, even if the server answered before reading it all.
            $0.requestSent = true
            $0.head = head
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        var part = buffer
        state.withLock { progress in
            if progress.body.readableBytes + part.readableBytes > maximumBodySize {
                progress.bodyTooLarge = true
            } else {
                progress.body.writeBuffer(&part)
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
        try state.withLock { progress in
            guard let head = progress.head else { throw HTTPClientError.remoteConnectionClosed }
            guard !progress.bodyTooLarge else { throw VeriffClient.BodyTooLarge() }
            return Answer(status: Int(head.status.code), headers: head.headers, body: progress.body)
        }
    }
}
