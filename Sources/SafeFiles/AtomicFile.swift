#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name beside its destination and renamed into place only when complete: readers
/// never see half a file, and a failed write leaves nothing behind. Every file the provisioner writes goes through
/// it.
///
/// Safe in a directory other users can write to:
/// - the temporary name is unpredictable and created exclusively (`mkstemp`: `O_CREAT | O_EXCL`, which never
///   follows a symbolic link), so a link planted at any name an attacker could guess is never opened;
/// - the file is created with mode 0600 and only set to its final mode (0600 unless asked otherwise) before the
///   rename, so nobody can read it half-written;
/// - `rename(2)` replaces whatever is at the destination, a symbolic link included, without following it: the
///   destination becomes a regular file and the link's target is left untouched.
///
/// Use one instance from one task at a time.
public final class AtomicFile {
    /// The destination.
    public let path: String
    private let mode: mode_t
    private let directory: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var isFinished = false

    private static let bufferSize = 64 * 1024
    /// Room left for `.` and `.tmp-XXXXXX` within a file name's 255 bytes.
    private static let longestNamePart = 200

    /// Creates the temporary file (mode 0600) in the destination's directory.
    /// - Parameters:
    ///   - path: The destination.
    ///   - mode: The destination's permission bits. Defaults to 0600 (owner only).
    /// - Throws: ``OutputFileError`` when the directory is missing or not writable.
    public init(path: String, mode: mode_t = 0o600) throws {
        self.path = path
        self.mode = mode
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let shortName = String(decoding: name.utf8.prefix(Self.longestNamePart), as: UTF8.self)
        self.directory = directory.isEmpty ? "." : directory
        var template = Array((directory + "." + shortName + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        self.descriptor = descriptor
        self.temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { discard() }

    /// Writes `bytes` to `path` atomically in one call.
    /// - Parameters:
    ///   - bytes: The whole content.
    ///   - path: The destination.
    ///   - mode: The destination's permission bits. Defaults to 0600.
    /// - Throws: ``OutputFileError``; nothing is left behind then.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let file = try AtomicFile(path: path, mode: mode)
        try file.write(bytes: bytes)
        try file.commit()
    }

    /// Appends text (UTF-8).
    /// - Throws: ``OutputFileError`` when writing fails.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Appends bytes.
    /// - Throws: ``OutputFileError`` when writing fails.
    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes everything, syncs it to disk and renames it to its destination (replacing an older file, or a
    /// symbolic link, which is not followed).
    /// - Throws: ``OutputFileError``; the temporary file is removed then.
    public func commit() throws {
        guard !isFinished else { throw OutputFileError(path: path, reason: "already committed or discarded") }
        do {
            try flush()
            guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else { throw lastError() }
            close(descriptor)
            descriptor = -1
            guard rename(temporaryPath, path) == 0 else { throw lastError() }
            isFinished = true
        } catch {
            discard()
            throw error
        }
        syncDirectory()
    }

    /// Removes the temporary file (nothing happens after ``commit()``).
    public func discard() {
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

    /// Makes the rename itself durable; a failure here loses nothing that a crash would not.
    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private func lastError() -> OutputFileError {
        OutputFileError(path: path, reason: String(cString: strerror(errno)))
    }
}

/// `write(2)`, out of reach of ``AtomicFile``'s own `write` methods.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
