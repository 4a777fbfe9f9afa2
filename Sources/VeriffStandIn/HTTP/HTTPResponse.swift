import NIOCore
import NIOHTTP1

/// The answer to one ``HTTPRequest``. `Content-Length` and `Connection` are set by the server.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// Wait this long on the event loop before writing (simulated latency without a task). Defaults to `nil`.
    public var delay: Duration?
    /// Instead of answering, reset the connection (TCP RST). Defaults to `false`.
    public var resetsConnection: Bool

    public init(
        status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer(),
        delay: Duration? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.resetsConnection = false
    }

    /// A response with a UTF-8 body and the given content type.
    public init(status: HTTPResponseStatus, contentType: String, body: String, delay: Duration? = nil) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        self.init(status: status, headers: headers, body: ByteBuffer(string: body), delay: delay)
    }

    /// No answer at all: the connection is reset (after `delay`, if given) once the request has been read.
    public static func resetConnection(after delay: Duration? = nil) -> HTTPResponse {
        var response = HTTPResponse(status: .internalServerError, delay: delay)
        response.resetsConnection = true
        return response
    }
}
