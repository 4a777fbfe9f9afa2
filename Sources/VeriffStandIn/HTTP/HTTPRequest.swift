import NIOCore
import NIOHTTP1

/// One complete HTTP/1.1 request: head and the whole body (at most the server's body size limit).
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent, e.g. `/v1/sessions?x=1`.
    public var uri: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// The peer's address (one per connection: requests on a kept-alive connection share it).
    public var remoteAddress: SocketAddress?

    public init(
        method: HTTPMethod, uri: String, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer(),
        remoteAddress: SocketAddress? = nil
    ) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The path without the query, e.g. `/v1/sessions`.
    public var path: Substring { uri.prefix { $0 != "?" && $0 != "#" } }

    /// The query's `name=value` pairs, in order, percent-decoded (`+` is a space).
    public var queryItems: [(name: String, value: String)] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        let query = uri[uri.index(after: mark)...].prefix { $0 != "#" }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.percentDecoded(parts[0]), parts.count > 1 ? Self.percentDecoded(parts[1]) : "")
        }
    }

    /// `%41` → `A`, `+` → space; malformed escapes are kept as they are.
    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let value = UInt8(String(decoding: utf8[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first value of the query parameter `name`.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}
