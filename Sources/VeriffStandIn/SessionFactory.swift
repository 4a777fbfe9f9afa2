import VeriffAPI

/// Makes realistic session ids, tokens and 201 bodies, byte by byte (no JSONEncoder on the hot path).
struct SessionFactory: Sendable {
    private static let hex = Array("0123456789abcdef".utf8)
    private static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// `{"alg":"HS256","typ":"JWT"}`, base64url: session tokens are JWTs.
    private static let tokenHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

    let host: String

    /// A random version-4 UUID, lowercase.
    static func uuid(_ random: inout FastRandom) -> String {
        var bytes = withUnsafeBytes(of: (random.next(), random.next())) { Array($0) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A new session for a request with these echoed values.
    func makeSession(
        vendorData: String?, endUserId: String?, unixTime: Int64, random: inout FastRandom
    ) -> CreatedSession {
        let id = Self.uuid(&random)
        let payload = "{\"session_id\":\"\(id)\",\"iid\":\(random.next() % 1_000_000),\"iat\":\(unixTime)}"
        let signature = withUnsafeBytes(of: (random.next(), random.next(), random.next(), random.next())) {
            Array($0)
        }
        let token = "\(Self.tokenHeader).\(Self.encode(Array(payload.utf8))).\(Self.encode(signature))"
        return CreatedSession(
            id: id, url: "\(host)/v/\(token)", vendorData: vendorData, endUserId: endUserId, host: host,
            status: "created", sessionToken: token
        )
    }

    /// The 201 body Veriff sends.
    static func body(for session: CreatedSession) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + session.url.utf8.count * 2)
        out.append(contentsOf: #"{"status":"success","verification":{"id":"#.utf8)
        JSONWriter.appendString(session.id, to: &out)
        out.append(contentsOf: #","url":"#.utf8)
        JSONWriter.appendString(session.url, to: &out)
        out.append(contentsOf: #","vendorData":"#.utf8)
        JSONWriter.appendOptionalString(session.vendorData, to: &out)
        out.append(contentsOf: #","endUserId":"#.utf8)
        JSONWriter.appendOptionalString(session.endUserId, to: &out)
        out.append(contentsOf: #","host":"#.utf8)
        JSONWriter.appendOptionalString(session.host, to: &out)
        out.append(contentsOf: #","status":"created","sessionToken":"#.utf8)
        JSONWriter.appendOptionalString(session.sessionToken, to: &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    /// Base64url without padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(base64URL[Int((n >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(base64URL[Int((n >> 18) & 63)])
            out.append(base64URL[Int((n >> 12) & 63)])
            if rest == 2 { out.append(base64URL[Int((n >> 6) & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Appends JSON strings with the escapes RFC 8259 requires.
enum JSONWriter {
    static func appendOptionalString(_ value: String?, to out: inout [UInt8]) {
        if let value { appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let utf8 = value.utf8
        // Fast path: most values (ids, URLs, tokens) need no escaping and are copied in one go.
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `{"status":"fail","code":"1102","message":"..."}`.
    static func failure(code: String?, message: String) -> [UInt8] {
        var out = Array(#"{"status":"fail","code":"#.utf8)
        appendOptionalString(code, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        appendString(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
