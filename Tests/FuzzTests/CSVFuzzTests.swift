import Foundation
import TestSupport
import Testing

@testable import Distribution

/// Seeded random and mutated CSV through the incremental parser and the enqueue source: no crash, no record larger
/// than the limit kept, the same records whatever the chunking, and every problem named by a line of the file.
@Suite("fuzz: CSV", .timeLimit(.minutes(10)))
struct CSVFuzzTests {
    static let corpus = [
        "firstName,lastName,email\nJane,Doe,jane@example.com\n",
        "\u{FEFF}first_name,last_name,full_address\r\n\"Mari\",\"Tamm, Jr\",\"Pikk 1\r\nTallinn\"\r\n\r\n",
        "firstName,vendorData,consents\n\"Say \"\"hi\"\"\",r1,\"[{\"\"type\"\":\"\"ine\"\",\"\"approved\"\":true}]\"\n",
        "firstName\rJaan\rJüri Õunapuu\r",
        "a,b\n\"unclosed,x\ny,z\n",
        "firstName,lastName\n\"x\"y,z\n,,,,\n",
    ].map { Array($0.utf8) }

    static let interesting: [UInt8] =
        Array("\",\r\n\t ='@-".utf8) + [0, 0x1B, 0x7F, 0xC3, 0xA4, 0xEF, 0xBB, 0xBF, 0xFF]

    static func parse(_ bytes: [UInt8], chunk: Int, limit: Int) -> [CSVRecord] {
        var parser = CSVParser(maxRecordBytes: limit)
        var records: [CSVRecord] = []
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + chunk)
                parser.feed(UnsafeBufferPointer(rebasing: all[start..<end]), into: &records)
                start = end
            }
        }
        parser.finish(into: &records)
        return records
    }

    @Test("parser: random and mutated input, chunked or whole, records within the limit and on real lines")
    func parser() {
        var rng = SplitMix64(seed: 0xC5F0_0001)
        var failures = FuzzFailures()
        for index in 0..<Fuzz.cases {
            let bytes =
                index % 3 == 0
                ? Fuzz.randomBytes(&rng, interesting: Self.interesting)
                : rng.mutate(rng.pick(Self.corpus), interesting: Self.interesting)
            let limit = rng.pick([8, 32, 256, 64 * 1024])
            let whole = Self.parse(bytes, chunk: bytes.count + 1, limit: limit)
            let chunked = Self.parse(bytes, chunk: Int.random(in: 1...7, using: &rng), limit: limit)
            failures.check(whole == chunked, "case \(index): chunking changed the records")
            let lines = Fuzz.lineCount(bytes)
            var previous = 0
            for record in whole {
                failures.check(
                    (1...lines).contains(record.line) && record.line >= previous,
                    "case \(index): record on line \(record.line) of \(lines)")
                previous = record.line
                // Invalid UTF-8 becomes U+FFFD (3 bytes) per bad byte, so at most 3× the raw bytes.
                let kept = record.fields.reduce(0) { $0 + $1.utf8.count } + record.fields.count
                failures.check(kept <= 3 * limit + 1, "case \(index): kept \(kept) bytes over the limit \(limit)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("enqueue source: every row problem names a line of the file; header problems are file errors")
    func source() throws {
        var rng = SplitMix64(seed: 0xC5F0_0002)
        var failures = FuzzFailures()
        var rowsSeen = 0
        for index in 0..<Fuzz.cases / 3 {
            var bytes = Array("firstName,lastName,email,fullAddress,vendorData,consents\n".utf8)
            bytes += rng.mutate(
                rng.pick(Self.corpus).drop { $0 != 0x0A }.dropFirst().map { $0 }, interesting: Self.interesting)
            if Bool.random(using: &rng) { bytes = rng.mutate(bytes, interesting: Self.interesting) }
            let lines = Fuzz.lineCount(bytes)
            try Fuzz.withFile(bytes) { path in
                do {
                    let source = try CSVEndUserSource(file: try InputFile(path: path), maxRecordBytes: 128)
                    while let row = try source.next() {
                        rowsSeen += 1
                        failures.check((1...lines).contains(row.line), "case \(index): row on line \(row.line)")
                        failures.check(
                            (row.user == nil) != row.problems.isEmpty, "case \(index): a row is neither valid nor not")
                        for problem in row.problems {
                            failures.check(
                                problem.line == row.line && problem.description.hasPrefix("line \(row.line): "),
                                "case \(index): \(problem) is not on line \(row.line)")
                        }
                    }
                } catch let error as EnqueueError {
                    failures.check(error.description.contains(path), "case \(index): \(error) does not name the file")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(rowsSeen > Fuzz.cases / 10)
    }
}
