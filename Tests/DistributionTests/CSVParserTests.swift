import Testing

@testable import Distribution

@Suite("CSV parser")
struct CSVParserTests {
    /// Parses `text` fed in chunks of `chunkSize` bytes.
    static func parse(_ text: String, chunkSize: Int = 1 << 20) -> [CSVRecord] {
        parse(bytes: Array(text.utf8), chunkSize: chunkSize)
    }

    static func parse(bytes: [UInt8], chunkSize: Int = 1 << 20) -> [CSVRecord] {
        var parser = CSVParser()
        var records: [CSVRecord] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            bytes[start..<end].withUnsafeBufferPointer { parser.feed($0, into: &records) }
            start = end
        }
        parser.finish(into: &records)
        return records
    }

    @Test("LF, CRLF and CR line ends give the same records and line numbers")
    func lineEnds() {
        let expected = [
            CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 2, fields: ["1", "2"]),
            CSVRecord(line: 3, fields: ["3", "4"]),
        ]
        #expect(Self.parse("a,b\n1,2\n3,4\n") == expected)
        #expect(Self.parse("a,b\r\n1,2\r\n3,4\r\n") == expected)
        #expect(Self.parse("a,b\r1,2\r3,4") == expected)
        #expect(Self.parse("a,b\n1,2\n3,4") == expected)
    }

    @Test("quoted fields hold commas, doubled quotes and line breaks; line numbers count physical lines")
    func quotedFields() {
        let text =
            "h1,h2,h3\r\n\"Smith, Jane\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nx,,\"\"\r\nlast,\"a\nb\nc\",z\r\nend,1,2\r\n"
        let records = Self.parse(text)
        #expect(records.map(\.line) == [1, 2, 4, 5, 8])
        #expect(records[1].fields == ["Smith, Jane", "say \"hi\"", "two\r\nlines"])
        #expect(records[2].fields == ["x", "", ""])
        #expect(records[3].fields == ["last", "a\nb\nc", "z"])
        #expect(records.allSatisfy { $0.problem == nil })
    }

    @Test("any chunking gives the same records, even splitting CRLF and doubled quotes", arguments: [1, 2, 3, 7])
    func chunking(size: Int) {
        let text = "a,b\r\n\"q\"\"x\",\"l1\r\nl2\"\r\nü,€\r\n"
        #expect(Self.parse(text, chunkSize: size) == Self.parse(text))
        #expect(Self.parse(text, chunkSize: size).count == 3)
    }

    @Test("blank lines and empty trailing lines are skipped; the line numbers still count them")
    func blankLines() {
        let records = Self.parse("a,b\n\n1,2\r\n\r\n\n3,4\n\n\n")
        #expect(records.map(\.line) == [1, 3, 6])
    }

    @Test("an unclosed quote is a problem of the record where it opened")
    func unclosedQuote() {
        let records = Self.parse("a,b\n1,\"open\n2,3\n")
        #expect(records.count == 2)
        #expect(records[1].line == 2)
        #expect(records[1].problem?.contains("never closed") == true)
    }

    @Test("text after a closing quote and invalid UTF-8 are problems, and the next record is still read")
    func malformedRecords() {
        let afterQuote = Self.parse("a,b\n\"x\"y,2\n3,4\n")
        #expect(afterQuote[1].problem?.contains("after its closing quote") == true)
        #expect(afterQuote[2] == CSVRecord(line: 3, fields: ["3", "4"]))
        let invalid = Self.parse(bytes: Array("a,b\n".utf8) + [0xff, 0xfe] + Array(",2\n3,4\n".utf8))
        #expect(invalid[1].problem?.contains("UTF-8") == true)
        #expect(invalid[2].problem == nil)
    }
}
