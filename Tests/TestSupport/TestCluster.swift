import Foundation

/// A throwaway PostgreSQL cluster of its own, for tests that stop or restart the server (the shared test cluster
/// must keep running for the other tests).
public final class TestCluster: Sendable {
    public let directory: String
    public let port: Int
    private let binDirectory: String

    /// A libpq connection string for the cluster's `postgres` database.
    public var conninfo: String { "host=127.0.0.1 port=\(port) user=postgres dbname=postgres connect_timeout=5" }

    private init(directory: String, port: Int, binDirectory: String) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
    }

    /// Creates and starts a new cluster on a free loopback port.
    public static func start() async throws -> TestCluster {
        let bin = try serverBinDirectory()
        let directory = "/tmp/provisioner-cluster-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try await Shell.run("/bin/chown", ["postgres:", directory]) }
        let initdb = try await asOwner(
            bin + "/initdb",
            [
                "-D", directory + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync",
            ])
        guard initdb.status == 0 else { throw TestSetupError("initdb failed: \(initdb.stderr)") }
        let cluster = TestCluster(directory: directory, port: try await freePort(), binDirectory: bin)
        try await cluster.pgctl([
            "start", "-w", "-t", "60", "-o",
            "-p \(cluster.port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off",
        ])
        return cluster
    }

    /// Stops the server (fast shutdown: open connections are cut).
    public func stop() async throws { try await pgctl(["stop", "-m", "fast", "-w"]) }

    /// Starts the server again on the same port.
    public func startAgain() async throws {
        try await pgctl([
            "start", "-w", "-t", "60", "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off",
        ])
    }

    /// Restarts the server; every open connection is cut.
    public func restart() async throws {
        try await stop()
        try await startAgain()
    }

    /// Stops the server and deletes its files.
    ///
    /// Call it at the end of the test (a `defer` cannot await).
    public func destroy() async {
        _ = try? await pgctl(["stop", "-m", "immediate", "-w"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func pgctl(_ arguments: [String]) async throws {
        let result = try await Self.asOwner(
            binDirectory + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log"] + arguments)
        guard result.status == 0 else { throw TestSetupError("pg_ctl \(arguments[0]) failed: \(result.stderr)") }
    }

    private static func asOwner(_ executable: String, _ arguments: [String]) async throws -> Shell.Output {
        getuid() == 0
            ? try await Shell.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
            : try await Shell.run(executable, arguments)
    }

    static func serverBinDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw TestSetupError("PostgreSQL server binaries not found under \(root)")
        }
        return "\(root)/\(newest)/bin"
    }

    /// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
    public static func freePort() async throws -> Int {
        let output = try await Shell.run(
            "/usr/bin/python3",
            [
                "-c",
                "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
            ])
        guard let port = Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSetupError("could not find a free port: \(output.stderr)")
        }
        return port
    }
}
