import Distribution
import Foundation
import Postgres
import Support
import TestSupport
import Testing

@Suite("qr sheet", .timeLimit(.minutes(10)))
struct QRSheetTests {
    static func write(_ directory: String, _ conninfo: String, _ options: QROptions) async throws -> QRReport {
        try await TestDatabase.withConnection(conninfo) { connection in
            try await QRSheetWriter(logger: .test).write(to: directory, options: options, connection: connection)
        }
    }

    @Test(
        "one decodable code per unexpired session, safe names, an escaped print sheet",
        arguments: QRImageFormat.allCases)
    func sheet(format: QRImageFormat) async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let longURL = "https://alchemy.veriff.com/v/" + String(repeating: "abcdefghij", count: 55)
                try await ProvisionedRows.insert(
                    conninfo, count: 2, firstName: "<script>alert(1)</script>", vendorPrefix: "../../etc/passwd",
                    url: { $0 == 1 ? longURL : "https://alchemy.veriff.com/v/short-\($0)&a=<b>" })
                try await ProvisionedRows.insert(conninfo, count: 1, firstName: "Gone", expiresIn: "-1 hour")
                let directory = scratch.path + "/codes"
                let report = try await Self.write(directory, conninfo, QROptions(format: format))
                #expect(report.codes == 2)
                let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
                let ext = format.rawValue
                #expect(
                    names == [
                        "000001-script-alert-1-script-doe.\(ext)", "000002-script-alert-1-script-doe.\(ext)",
                        "index.html",
                    ])
                #expect(try await QRDecoder.decode(directory + "/" + names[0]) == longURL)
                #expect(
                    try await QRDecoder.decode(directory + "/" + names[1])
                        == "https://alchemy.veriff.com/v/short-2&a=<b>")
                for name in names { #expect(try scratch.mode("codes/" + name) == 0o600) }
                #expect(try scratch.mode("codes") == 0o700)

                let html = try scratch.read("codes/index.html")
                #expect(!html.contains("<script>"))
                #expect(html.contains("<h2>&lt;script&gt;alert(1)&lt;/script&gt; Doe</h2>"))
                #expect(html.contains(#"<img src="\#(names[0])""#))
                #expect(html.contains("https://alchemy.veriff.com/v/short-2&amp;a=&lt;b&gt;"))
                #expect(html.contains(longURL))
                #expect(html.contains("Expires 20"))
                #expect(!html.contains("Gone"))
            }
        }
    }

    @Test("--since keeps only sessions provisioned since then")
    func since() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                try await ProvisionedRows.insert(conninfo, count: 2)
                _ = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.execute(
                        "UPDATE session_queue SET provisioned_at = now() - interval '3 days' WHERE id = 1")
                }
                let recent = try await Self.write(scratch.path + "/a", conninfo, QROptions(since: QRSince("24h")))
                #expect(recent.codes == 1)
                let old = try await Self.write(
                    scratch.path + "/b", conninfo, QROptions(since: .instant(Date().addingTimeInterval(-5 * 86_400))))
                #expect(old.codes == 2)
                #expect(try await Self.write(scratch.path + "/c", conninfo, QROptions()).codes == 2)
            }
        }
    }
}
