import Foundation

/// Reads a secret (the API key, the webhook shared secret, the dashboard token) from a file the operator named.
///
/// One reader for all of them, bounded: a path that points at a large file or at `/dev/zero` by mistake fails at
/// once with a clear reason instead of filling memory. The contents are returned as they are; each secret type
/// trims and checks them its own way.
public enum SecretFile {
    /// The largest secret file read. Real secrets are a few dozen bytes.
    public static let maximumBytes = 64 * 1024

    /// The file's contents as UTF-8 (invalid bytes replaced).
    ///
    /// - Parameter path: The file named by `--api-key-file`, `--shared-secret-file` or `--dashboard-token-file`.
    /// - Throws: ``SecretFileError`` with the reason (cannot be opened, a directory, larger than
    ///   ``maximumBytes``). Its message never holds the contents.
    public static func read(_ path: String) throws(SecretFileError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SecretFileError(reason: "it is a directory")
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            let nsError = error as NSError
            throw SecretFileError(reason: nsError.localizedFailureReason ?? nsError.localizedDescription)
        }
        guard data.count <= maximumBytes else {
            throw SecretFileError(
                reason: "it is larger than \(maximumBytes / 1024) KiB; it should hold only the secret")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Why a secret file could not be read (never its contents).
public struct SecretFileError: Error, Sendable, Equatable {
    public var reason: String
}
