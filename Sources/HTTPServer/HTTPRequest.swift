import NIOCore
import NIOHTTP1

/// One complete HTTP/1.1 request: head and the whole body (at most the server's body size limit).
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent, e.g. `/v1/sessions?x=1`.
    public var uri: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The path without the query, e.g. `/v1/sessions`.
    public var path: Substring { uri.prefix { $0 != "?" && $0 != "#" } }

    /// The query's `name=value` pairs, in order (no percent-decoding beyond `+`: values here are simple).
    public var queryItems: [(name: String, value: String)] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        return uri[uri.index(after: mark)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? parts[1].replacing("+", with: " ") : ""
            return (String(parts[0]), String(value))
        }
    }

    /// The first value of the query parameter `name`.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}
