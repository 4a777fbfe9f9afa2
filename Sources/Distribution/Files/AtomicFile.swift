#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name beside its destination and renamed into place only when complete, with
/// mode 0600: readers never see half a file, and a failed write leaves nothing behind.
final class AtomicFile {
    /// The destination.
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var isFinished = false

    private static let bufferSize = 64 * 1024

    /// Creates the temporary file (mode 0600) in the destination's directory.
    /// - Throws: ``OutputFileError`` when the directory is missing or not writable.
    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array((directory + "." + name + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        self.descriptor = descriptor
        self.temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { discard() }

    /// Appends text (UTF-8).
    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Appends bytes.
    func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes everything, syncs it to disk and renames it to its destination (replacing an older file).
    /// - Throws: ``OutputFileError``; the temporary file is removed then.
    func commit() throws {
        do {
            try flush()
            guard fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0 else { throw lastError() }
            close(descriptor)
            descriptor = -1
            guard rename(temporaryPath, path) == 0 else { throw lastError() }
            isFinished = true
        } catch {
            discard()
            throw error
        }
    }

    /// Removes the temporary file (nothing happens after ``commit()``).
    func discard() {
        guard !isFinished else { return }
        isFinished = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { writeBytes(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw lastError()
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func lastError() -> OutputFileError {
        OutputFileError(path: path, reason: String(cString: strerror(errno)))
    }
}

/// `write(2)`, out of reach of ``AtomicFile``'s own `write` methods.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
