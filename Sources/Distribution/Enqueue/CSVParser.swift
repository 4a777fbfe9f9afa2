/// One CSV record: its fields and the physical line (1-based) on which it starts.
struct CSVRecord: Sendable, Hashable {
    var line: Int
    var fields: [String]
    /// Why the record is malformed (an unclosed quote, text after a closing quote, bytes that are not UTF-8).
    var problem: String?
}

/// An incremental RFC 4180 parser over bytes: quoted fields may hold commas, doubled quotes and line breaks; records
/// end with LF, CRLF or CR. Feed it chunks of any size; it keeps only the record being read.
struct CSVParser {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var problem: String?
    private var lastWasCR = false
    /// The physical line being read.
    private var line = 1
    private var recordLine = 1

    /// Parses `bytes`, appending every record completed by them to `records` (blank lines are skipped).
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, into records: inout [CSVRecord]) {
        for byte in bytes {
            let wasCR = lastWasCR
            lastWasCR = byte == Self.cr
            if byte == Self.lf && wasCR {
                // The LF of a CRLF: the line (and, outside quotes, the record) ended at the CR.
                if state == .quoted { field.append(byte) }
                continue
            }
            let isNewline = byte == Self.lf || byte == Self.cr
            switch state {
            case .quoted:
                if byte == Self.quote {
                    state = .quoteInQuoted
                } else {
                    field.append(byte)
                    if isNewline { line += 1 }
                }
            case .quoteInQuoted:
                if byte == Self.quote {
                    field.append(byte)
                    state = .quoted
                } else if byte == Self.comma {
                    endField()
                    state = .fieldStart
                } else if isNewline {
                    endRecord(into: &records)
                } else {
                    if problem == nil { problem = "a quoted field has text after its closing quote" }
                    field.append(byte)
                    state = .unquoted
                }
            case .fieldStart:
                if byte == Self.quote {
                    state = .quoted
                } else if byte == Self.comma {
                    endField()
                } else if isNewline {
                    endRecord(into: &records)
                } else {
                    field.append(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == Self.comma {
                    endField()
                    state = .fieldStart
                } else if isNewline {
                    endRecord(into: &records)
                } else {
                    field.append(byte)
                }
            }
        }
    }

    /// Ends the input: a last record without a line break is completed, an unclosed quote reported.
    mutating func finish(into records: inout [CSVRecord]) {
        if state == .quoted {
            problem = "a quoted field opened on line \(recordLine) is never closed (it runs to the end of the file)"
        }
        if state == .fieldStart && fields.isEmpty && field.isEmpty { return }
        endRecord(into: &records, lineBreak: false)
    }

    private mutating func endField() {
        if let text = String(validating: field, as: UTF8.self) {
            fields.append(text)
        } else {
            if problem == nil { problem = "field \(fields.count + 1) is not valid UTF-8" }
            fields.append(String(decoding: field, as: UTF8.self))
        }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord(into records: inout [CSVRecord], lineBreak: Bool = true) {
        endField()
        let isBlank = fields.count == 1 && fields[0].isEmpty && problem == nil
        if !isBlank { records.append(CSVRecord(line: recordLine, fields: fields, problem: problem)) }
        fields.removeAll(keepingCapacity: true)
        problem = nil
        state = .fieldStart
        if lineBreak { line += 1 }
        recordLine = line
    }
}
