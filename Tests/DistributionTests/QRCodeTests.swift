import Foundation
import Support
import Testing

@testable import Distribution

@Suite("QR codes", .timeLimit(.minutes(10)))
struct QRCodeTests {
    static let short = "https://alchemy.veriff.com/v/eyJhbGciOiJIUzI1NiJ9.short"
    static let long =
        "https://alchemy.veriff.com/v/" + String(repeating: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", count: 16)
        + "?lang=et&x=%20y"

    @Test("PNG and SVG of short and long urls decode with zbarimg to the url", arguments: [short, long])
    func decodes(url: String) async throws {
        try await Scratch.with { scratch in
            let code = try QRCode(encoding: url)
            let png = try scratch.file("code.png", bytes: code.png())
            #expect(try await QRDecoder.decode(png) == url)
            let svg = try scratch.file("code.svg", code.svg())
            #expect(try await QRDecoder.decode(svg) == url)
        }
        #expect(Self.long.utf8.count > 500)
    }

    @Test("a text longer than a QR code holds is a clear error")
    func tooLong() {
        #expect(throws: QRCodeError.self) { try QRCode(encoding: String(repeating: "a", count: 3000)) }
        #expect(throws: QRCodeError.self) { try QRCode(encoding: "") }
    }

    @Test("PNG checksums match their standard test values")
    func checksums() {
        #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        // More than one stored block: 70,000 bytes need two.
        let stream = PNGEncoder.zlibStored([UInt8](repeating: 7, count: 70_000))
        #expect(stream.count == 2 + 5 + 65_535 + 5 + 4_465 + 4)
        #expect(stream[2] == 0 && stream[2 + 5 + 65_535] == 1)
    }

    @Test("file names: unique by row id, nothing from the row can form a path")
    func fileNames() {
        #expect(QRFileName.make(id: 42, label: "Jane Doe", extension: "svg") == "000042-jane-doe.svg")
        #expect(QRFileName.make(id: 7, label: "../../etc/passwd", extension: "png") == "000007-etc-passwd.png")
        #expect(QRFileName.make(id: 8, label: ".hidden/..\\x\u{0}", extension: "png") == "000008-hidden-x.png")
        #expect(QRFileName.make(id: 1_234_567, label: "Łukasz Żółw", extension: "svg") == "1234567-lukasz-zolw.svg")
        #expect(QRFileName.make(id: 9, label: nil, extension: "svg") == "000009.svg")
        #expect(
            QRFileName.make(id: 9, label: String(repeating: "a", count: 99), extension: "svg").count == 6 + 1 + 40 + 4)
    }

    @Test("--since accepts ISO 8601 dates and date-times and durations")
    func since() {
        #expect(QRSince("24h") == .within(.seconds(86_400)))
        #expect(QRSince("7d") == .within(.seconds(604_800)))
        #expect(QRSince("90m") == .within(.seconds(5_400)))
        #expect(QRSince("2025-03-01") == .instant(Date(timeIntervalSince1970: 1_740_787_200)))
        #expect(QRSince("2025-03-01T10:00:00+02:00") == .instant(Date(timeIntervalSince1970: 1_740_816_000)))
        #expect(QRSince("yesterday") == nil)
        #expect(QRSince("7x") == nil)
    }
}
