/// One CSV record: its fields and the physical line (1-based) on which it starts.
struct CSVRecord: Sendable, Hashable {
    var line: Int
    var fields: [String]
    /// Why the record is malformed (an unclosed quote, text after a closing quote, bytes that are not UTF-8).
    var problem: String?
}

/// An incremental RFC 4180 parser over bytes: quoted fields may hold commas, doubled quotes and line breaks; records
/// end with LF, CRLF or CR. Feed it chunks of any size; it keeps only the record being read, and of a record longer
/// than ``maxRecordBytes`` nothing at all: such a record comes back with no fields and a problem naming the limit, so
/// memory stays bounded whatever the input holds (a quote that is never closed, a line of a million commas).
struct CSVParser {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// The most bytes one record may span (fields, separators and line breaks inside quotes).
    let maxRecordBytes: Int

    private var state = State.fieldStart
    private var field: [UInt8] = []
    /// Bytes of the record being read so far.
    private var recordBytes = 0
    /// The record being read passed ``maxRecordBytes``: its bytes are dropped until it ends.
    private var isOverlong = false
    private var fields: [String] = []
    private var problem: String?
    private var lastWasCR = false
    /// The physical line being read.
    private var line = 1
    private var recordLine = 1

    /// - Parameter maxRecordBytes: The longest record kept. Defaults to ``EnqueueOptions/defaultMaxRecordBytes``.
    init(maxRecordBytes: Int = EnqueueOptions.defaultMaxRecordBytes) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Parses `bytes`, appending every record completed by them to `records` (blank lines are skipped).
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, into records: inout [CSVRecord]) {
        for byte in bytes {
            let wasCR = lastWasCR
            lastWasCR = byte == Self.cr
            if byte == Self.lf && wasCR {
                // The LF of a CRLF: the line (and, outside quotes, the record) ended at the CR.
                if state == .quoted { keep(byte) }
                continue
            }
            let isNewline = byte == Self.lf || byte == Self.cr
            if !isOverlong {
                recordBytes += 1
                if recordBytes > maxRecordBytes { dropRecord() }
            }
            switch state {
            case .quoted:
                if byte == Self.quote {
                    state = .quoteInQuoted
                } else {
                    keep(byte)
                    if isNewline { line += 1 }
                }
            case .quoteInQuoted:
                if byte == Self.quote {
                    keep(byte)
                    state = .quoted
                } else if byte == Self.comma {
                    endField()
                    state = .fieldStart
                } else if isNewline {
                    endRecord(into: &records)
                } else {
                    if problem == nil { problem = "a quoted field has text after its closing quote" }
                    keep(byte)
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
                    keep(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == Self.comma {
                    endField()
                    state = .fieldStart
                } else if isNewline {
                    endRecord(into: &records)
                } else {
                    keep(byte)
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

    /// Appends a byte to the field being read, unless the record is already over the limit.
    private mutating func keep(_ byte: UInt8) {
        if !isOverlong { field.append(byte) }
    }

    /// Forgets what was read of the current record; the rest of it is parsed but not kept.
    private mutating func dropRecord() {
        isOverlong = true
        field = []
        fields = []
    }

    private mutating func endField() {
        if isOverlong {
            field.removeAll(keepingCapacity: true)
            return
        }
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
        if isOverlong {
            let overlong =
                "is longer than \(maxRecordBytes) bytes, the most a record may hold (is a closing quote missing?)"
            // An unclosed quote (reported by finish) says more than the length it caused.
            records.append(CSVRecord(line: recordLine, fields: [], problem: state == .quoted ? problem : overlong))
        } else {
            let isBlank = fields.count == 1 && fields[0].isEmpty && problem == nil
            if !isBlank { records.append(CSVRecord(line: recordLine, fields: fields, problem: problem)) }
        }
        fields.removeAll(keepingCapacity: true)
        isOverlong = false
        recordBytes = 0
        problem = nil
        state = .fieldStart
        if lineBreak { line += 1 }
        recordLine = line
    }
}
