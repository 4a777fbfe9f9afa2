import Foundation
import Postgres
import SafeFiles
import TestSupport
import Testing

@testable import Distribution

/// Export formula protection, QR output directories, compressed PNGs and transliterated file names.
@Suite("output hardening", .timeLimit(.minutes(10)))
struct OutputHardeningTests {
    @Test(
        "cells a spreadsheet could run as a formula get a leading quote, whatever hides the sign",
        arguments: [
            "=1+1", "+1", "-1", "@SUM(A1)", " =1+1", "  +cmd", "\t=1+1", "\r=1+1", "\n=1", "\t", "\r", "\u{0}=1",
            "\u{3000}=1", "\u{A0}@x", "＝1+1", "＋1", "－1", "＠SUM(A1)", " ＝HYPERLINK(\"x\")",
        ])
    func formulaLike(cell: String) {
        #expect(CSVRow.isFormulaLike(cell))
        let row = CSVRow.format([cell], protectingFormulas: true)
        #expect(row.hasPrefix("'") || row.hasPrefix("\"'"), "\(row.debugDescription)")
    }

    @Test("ordinary cells are left alone", arguments: ["Jane", " Jane", "a=b", "jane@example.com", "5+5", "", " "])
    func ordinary(cell: String) {
        #expect(!CSVRow.isFormulaLike(cell))
    }

    @Test("an existing directory that others may write to, or that another user owns, is refused for QR output")
    func qrDirectoryPermissions() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await ProvisionedRows.insert(conninfo, count: 1)
            try await Scratch.with { scratch in
                for mode: mode_t in [0o777, 0o1777, 0o770, 0o722] {
                    let directory = scratch.path + "/shared-\(String(mode, radix: 8))"
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
                    chmod(directory, mode)
                    let error = try await #require(throws: OutputFileError.self) {
                        try await QRSheetTests.write(directory, conninfo, QROptions(format: .svg))
                    }
                    #expect(error.description.contains("writable by"), "\(error)")
                    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
                }
                // A symbolic link to such a directory is judged by the directory.
                let link = scratch.path + "/link"
                symlink(scratch.path + "/shared-777", link)
                await #expect(throws: OutputFileError.self) {
                    try await QRSheetTests.write(link, conninfo, QROptions(format: .svg))
                }
                // A private existing directory is used.
                let mine = scratch.path + "/mine"
                try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: false)
                chmod(mine, 0o755)
                let report = try await QRSheetTests.write(mine, conninfo, QROptions(format: .svg))
                #expect(report.codes == 1)
            }
            #expect(PrivateDirectory.problem(owner: 0, mode: 0o700, user: 1000)?.contains("another user") == true)
            #expect(PrivateDirectory.problem(owner: 1000, mode: 0o750, user: 1000) == nil)
        }
    }

    @Test("50 PNG QR codes take under 1 MiB in all (zlib deflate) and still decode with zbarimg")
    func compressedPNGs() async throws {
        try await TestDatabase.withFresh { conninfo in
            // Real session urls carry a signed token of about 300 characters.
            let token = String(repeating: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", count: 8)
            try await ProvisionedRows.insert(
                conninfo, count: 50, url: { "https://alchemy.veriff.com/v/\(token).session-\($0)" })
            try await Scratch.with { scratch in
                let directory = scratch.path + "/codes"
                let report = try await QRSheetTests.write(directory, conninfo, QROptions(format: .png))
                #expect(report.codes == 50)
                let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
                    $0.hasSuffix(".png")
                }
                #expect(names.count == 50)
                var total = 0
                for name in names {
                    let size = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size]
                    total += (size as? NSNumber)?.intValue ?? 0
                }
                let code = try QRCode(encoding: "https://alchemy.veriff.com/v/\(token).session-50")
                let side = (code.size + 8) * 8
                let uncompressed = 50 * side * ((side + 7) / 8 + 1)
                print("50 PNG QR codes: \(total) bytes in all; stored (uncompressed) blocks: about \(uncompressed)")
                #expect(uncompressed > 1 << 20, "the codes must be large enough for the limit to matter")
                #expect(total < 1 << 20)
                for name in names.sorted().prefix(3) {
                    #expect(
                        try await QRDecoder.decode(directory + "/" + name).hasPrefix("https://alchemy.veriff.com/v/"))
                }
            }
        }
    }

    @Test("file names are transliterated to ASCII: accents, Cyrillic, CJK")
    func transliteratedNames() {
        #expect(QRFileName.slug("Jüri Õunapuu") == "juri-ounapuu")
        #expect(QRFileName.slug("Straße Øre") == "strasse-ore")
        #expect(QRFileName.slug("Иван Петров") == "ivan-petrov")
        let chinese = QRFileName.slug("王小明")
        #expect(!chinese.isEmpty && chinese.unicodeScalars.allSatisfy { $0.isASCII }, "\(chinese)")
        #expect(QRFileName.make(id: 7, label: "Jüri Õunapuu", extension: "png") == "000007-juri-ounapuu.png")
        #expect(QRFileName.slug("../../etc/passwd") == "etc-passwd")
    }
}
