import Foundation
import TestSupport
import Testing

/// `provisioner serve` (or `webhooks`) as a real process: the built binary, secrets in files, the "listening on"
/// line.
enum ServeProcess {
    typealias H = ServerHarness

    /// The `provisioner` executable built beside the test bundle.
    static func executable() throws -> String { try ProvisionerExecutable.path() }

    /// Secret files for the child: shared secret, API key, dashboard token (removed by the caller).
    static func secretFiles() throws -> [String] {
        let directory = FileManager.default.temporaryDirectory
        return try [H.sharedSecret, H.apiKey, H.dashboardToken].map { secret in
            let path = directory.appendingPathComponent("serve-secret-\(UUID().uuidString)").path
            try Data("\(secret)\n".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// Starts the server in a child process and waits for its "listening on" line.
    /// - Returns: The process and its base URL (`http://127.0.0.1:PORT`).
    static func start(_ arguments: [String], conninfo: String) async throws -> (ChildProcess, String) {
        let child = try ChildProcess.spawn(
            try executable(), arguments,
            environment: [
                "VERIFF_SHARED_SECRET": nil, "VERIFF_API_KEY": nil, "PROVISIONER_DASHBOARD_TOKEN": nil,
                "DATABASE_URL": conninfo,
            ])
        guard await child.waitForOutput(containing: "listening on http://127.0.0.1:") else {
            child.signal(SIGKILL)
            _ = await child.wait()
            throw TestSetupError("no listening line; stderr: \(child.stderr())")
        }
        let line = try #require(child.stdout().split(separator: "\n").first)
        return (child, String(line.dropFirst("listening on ".count)))
    }
}
