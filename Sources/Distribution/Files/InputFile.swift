#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file read sequentially in fixed-size chunks, so a file of any size is read in constant memory.
final class InputFile {
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var isFirstChunk = true
    /// The path, for messages.
    let path: String

    /// The size of one read.
    static let chunkSize = 64 * 1024

    /// Opens `path` for reading.
    /// - Throws: ``EnqueueError/cannotOpen(_:reason:)`` naming the system's reason.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw EnqueueError.cannotOpen(path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw EnqueueError.cannotOpen(path, reason: "it is a directory")
        }
        self.descriptor = descriptor
        self.path = path
        self.buffer = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    deinit { close(descriptor) }

    /// Reads the next chunk and passes it to `body`; a UTF-8 byte order mark at the start of the file is skipped.
    /// - Returns: False at the end of the file (`body` is not called then).
    /// - Throws: ``EnqueueError/cannotOpen(_:reason:)`` when reading fails.
    func readChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        var count = 0
        repeat {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        guard count >= 0 else { throw EnqueueError.cannotOpen(path, reason: String(cString: strerror(errno))) }
        guard count > 0 else { return false }
        try buffer.withUnsafeBufferPointer { all in
            var chunk = UnsafeBufferPointer(rebasing: all[0..<count])
            if isFirstChunk, count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF {
                chunk = UnsafeBufferPointer(rebasing: chunk[3...])
            }
            isFirstChunk = false
            try body(chunk)
        }
        return true
    }
}
