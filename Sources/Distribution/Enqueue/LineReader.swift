/// Reads a file line by line (LF or CRLF), holding at most one chunk's worth of lines in memory.
final class LineReader {
    /// One line without its line break, and its 1-based number.
    struct Line {
        var number: Int
        var bytes: [UInt8]
    }

    private let file: InputFile
    private var pending: [Line] = []
    private var nextIndex = 0
    private var current: [UInt8] = []
    private var lineNumber = 1
    private var atEnd = false

    init(file: InputFile) {
        self.file = file
    }

    /// The next line, or `nil` at the end of the file.
    /// - Throws: ``EnqueueError`` when the file cannot be read.
    func next() throws -> Line? {
        while nextIndex == pending.count {
            if atEnd { return nil }
            pending.removeAll(keepingCapacity: true)
            nextIndex = 0
            let more = try file.readChunk { chunk in
                for byte in chunk {
                    if byte == UInt8(ascii: "\n") {
                        endLine()
                    } else {
                        current.append(byte)
                    }
                }
            }
            if !more {
                if !current.isEmpty { endLine() }
                atEnd = true
            }
        }
        defer { nextIndex += 1 }
        return pending[nextIndex]
    }

    private func endLine() {
        if current.last == UInt8(ascii: "\r") { current.removeLast() }
        pending.append(Line(number: lineNumber, bytes: current))
        current.removeAll(keepingCapacity: true)
        lineNumber += 1
    }
}
