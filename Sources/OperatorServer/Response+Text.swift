import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A short plain-text answer.
    ///
    /// - Parameters:
    ///   - status: The status.
    ///   - text: The body (a line, ending with a newline).
    ///   - closing: Adds `Connection: close`: the server stops reading the request and closes the connection once
    ///     the answer is out (see ``ConnectionGuard``).
    ///   - headers: More header fields.
    static func text(
        _ status: HTTPResponse.Status, _ text: String, closing: Bool = false, headers: HTTPFields = [:]
    ) -> Response {
        var fields = headers
        fields[.contentType] = "text/plain; charset=utf-8"
        if closing { fields[.connection] = "close" }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A `405 Method Not Allowed` naming the methods allowed.
    static func methodNotAllowed(allow: String) -> Response {
        text(.methodNotAllowed, "method not allowed\n", headers: [.allow: allow])
    }
}
