import Foundation

/// A temporary directory for one test, removed afterwards.
struct Scratch {
    let path: String

    static func with<T>(_ body: (Scratch) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "distribution-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(Scratch(path: path))
    }

    /// Writes `text` to a file in the directory and returns its path.
    @discardableResult
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    /// Writes bytes to a file in the directory and returns its path.
    @discardableResult
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    /// The file's permission bits.
    func mode(_ name: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + name)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// Paths of the built package.
enum Package {
    /// The package root (three levels above this file).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `provisioner` executable that `swift build` made.
    static var provisioner: String { root + "/.build/debug/provisioner" }
}
