#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file line by line (LF or CRLF), holding at most one chunk's worth of lines in memory: a line longer than
/// the limit is not kept, only reported, so memory stays bounded whatever the file holds.
final class LineReader {
    /// One line without its line break, and its 1-based number.
    struct Line {
        var number: Int
        /// The line's bytes; empty when it is ``isOverlong``.
        var bytes: [UInt8]
        /// True when the line was longer than the limit: its bytes were skipped.
        var isOverlong = false
    }

    private let file: InputFile
    private let maxLineBytes: Int
    private var pending: [Line] = []
    private var nextIndex = 0
    private var current: [UInt8] = []
    private var currentIsOverlong = false
    private var lineNumber = 1
    private var atEnd = false

    /// - Parameters:
    ///   - file: The input.
    ///   - maxLineBytes: The longest line kept (without its line break); longer lines come back as overlong.
    init(file: InputFile, maxLineBytes: Int) {
        self.file = file
        self.maxLineBytes = maxLineBytes
    }

    /// The next line, or `nil` at the end of the file.
    /// - Throws: ``EnqueueError`` when the file cannot be read.
    func next() throws -> Line? {
        while nextIndex == pending.count {
            if atEnd { return nil }
            pending.removeAll(keepingCapacity: true)
            nextIndex = 0
            let more = try file.readChunk { chunk in
                guard let base = chunk.baseAddress else { return }
                var start = 0
                while start < chunk.count {
                    let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), chunk.count - start)
                    let end = newline.map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? chunk.count
                    append(UnsafeBufferPointer(rebasing: chunk[start..<end]))
                    if newline != nil { endLine() }
                    start = end + 1
                }
            }
            if !more {
                if !current.isEmpty || currentIsOverlong { endLine() }
                atEnd = true
            }
        }
        defer { nextIndex += 1 }
        return pending[nextIndex]
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !currentIsOverlong else { return }
        // One byte of slack for the CR of a CRLF.
        if current.count + bytes.count > maxLineBytes + 1 {
            currentIsOverlong = true
            current.removeAll()
            return
        }
        current.append(contentsOf: bytes)
    }

    private func endLine() {
        if current.last == UInt8(ascii: "\r") { current.removeLast() }
        if current.count > maxLineBytes { currentIsOverlong = true }
        pending.append(Line(number: lineNumber, bytes: currentIsOverlong ? [] : current, isOverlong: currentIsOverlong))
        current.removeAll(keepingCapacity: current.capacity <= InputFile.chunkSize)
        currentIsOverlong = false
        lineNumber += 1
    }
}
