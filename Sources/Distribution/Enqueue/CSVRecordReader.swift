/// Reads CSV records from a file one at a time, holding at most one chunk's worth of records in memory (a record
/// longer than the limit is reported, not kept).
final class CSVRecordReader {
    private let file: InputFile
    private var parser: CSVParser
    private var pending: [CSVRecord] = []
    private var nextIndex = 0
    private var atEnd = false

    /// - Parameters:
    ///   - file: The input.
    ///   - maxRecordBytes: The longest record kept (see ``CSVParser``).
    init(file: InputFile, maxRecordBytes: Int) {
        self.file = file
        self.parser = CSVParser(maxRecordBytes: maxRecordBytes)
    }

    /// The next record, or `nil` at the end of the file.
    /// - Throws: ``EnqueueError`` when the file cannot be read.
    func next() throws -> CSVRecord? {
        while nextIndex == pending.count {
            if atEnd { return nil }
            pending.removeAll(keepingCapacity: true)
            nextIndex = 0
            let more = try file.readChunk { parser.feed($0, into: &pending) }
            if !more {
                parser.finish(into: &pending)
                atEnd = true
            }
        }
        defer { nextIndex += 1 }
        return pending[nextIndex]
    }
}
