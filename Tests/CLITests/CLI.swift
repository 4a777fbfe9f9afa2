import Foundation
import TestSupport

/// The built `provisioner` binary, run as operations staff would run it.
enum CLI {
    /// The package root: three levels above this file (Tests/CLITests/CLI.swift).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `.build/debug/provisioner`, built by `scripts/test` (`swift build --build-tests`).
    static var binary: String { packageRoot + "/.build/debug/provisioner" }

    /// A sample file's path.
    static func sample(_ name: String) -> String { packageRoot + "/samples/" + name }

    /// Runs the binary. Veriff and database settings of the test process are removed unless given, so a test sees
    /// only what it sets.
    static func run(_ arguments: [String], environment: [String: String?] = [:]) async throws -> Shell.Output {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSetupError("\(binary) is missing: build it first (scripts/test does)")
        }
        var cleared: [String: String?] = [
            "DATABASE_URL": nil, "VERIFF_API_KEY": nil, "VERIFF_BASE_URL": nil, "VERIFF_INTEGRATION_ID": nil,
            "VERIFF_CALLBACK_URL": nil, "PROVISIONER_LOG_LEVEL": nil,
        ]
        for (key, value) in environment { cleared[key] = value }
        return try await Shell.run(binary, arguments, environment: cleared)
    }

    /// The non-empty lines of a text.
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

/// A private temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "cli-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
