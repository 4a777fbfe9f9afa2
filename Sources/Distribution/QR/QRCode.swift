import CQREncode

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A QR code symbol made by libqrencode: a square of dark and light modules.
public struct QRCode: Sendable, Hashable {
    /// Modules per side (without a quiet zone).
    public let size: Int
    private let modules: [Bool]

    /// Encodes `text` in byte mode with error correction level M (15 % of the symbol can be damaged).
    /// - Throws: ``QRCodeError`` when the text is empty or longer than a QR code holds (2,331 bytes at level M).
    public init(encoding text: String) throws {
        guard !text.isEmpty else { throw QRCodeError(reason: "there is nothing to encode") }
        errno = 0
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            let reason =
                errno == ERANGE
                ? "\(text.utf8.count) bytes are more than a QR code holds"
                : String(cString: strerror(errno))
            throw QRCodeError(reason: reason)
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        self.size = size
        // Bit 0 of each byte is the module's colour (1 = dark); the other bits describe how libqrencode made it.
        self.modules = (0..<size * size).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// Whether the module in column `x`, row `y` is dark; outside the symbol (the quiet zone) is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }
}

/// A text cannot be made into a QR code.
public struct QRCodeError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public let reason: String

    public var description: String { "cannot make a QR code: \(reason)" }
}
