import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Postgres
import TestSupport
import Testing

/// `provisioner serve` and `provisioner webhooks` as real processes: the "listening on" line, the token, signals,
/// and the receiver's memory under unauthenticated bodies (measured from /proc, outside the server).
@Suite("provisioner serve and webhooks as processes", .timeLimit(.minutes(10)))
struct ServerProcessTests {
    typealias H = ServerHarness

    private func executable() throws -> String { try ServeProcess.executable() }

    private func secretFiles() throws -> [String] { try ServeProcess.secretFiles() }

    private func start(_ arguments: [String], conninfo: String) async throws -> (ChildProcess, String) {
        try await ServeProcess.start(arguments, conninfo: conninfo)
    }

    @Test("serve: /metrics with the token from a file, webhooks, health; SIGTERM stops it with 0; no secret logged")
    func serve() async throws {
        let files = try secretFiles()
        defer { files.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        try await TestDatabase.withFresh { conninfo in
            let (child, baseURL) = try await start(
                [
                    "serve", "--listen", "127.0.0.1:0", "--shared-secret-file", files[0], "--api-key-file", files[1],
                    "--dashboard-token-file", files[2],
                ], conninfo: conninfo)
            try await H.withClient { http in
                func get(_ path: String, bearer: String?) async throws -> (Int, String) {
                    var request = HTTPClientRequest(url: baseURL + path)
                    if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
                    let response = try await http.execute(request, timeout: .seconds(30))
                    return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 22)))
                }
                #expect(try await get("/metrics", bearer: nil).0 == 401)
                let metrics = try await get("/metrics", bearer: H.dashboardToken)
                #expect(metrics.0 == 200 && metrics.1.contains("provisioner_queue_rows{status=\"pending\"} 0"))
                let health = try await get("/healthz", bearer: nil)
                #expect(health.0 == 200 && health.1 == "ok\n")
                let body = H.event(sessionID: "nobody")
                var request = HTTPClientRequest(url: baseURL + "/webhooks/event")
                request.method = .POST
                request.headers.add(name: "X-AUTH-CLIENT", value: H.apiKey)
                request.headers.add(name: "X-HMAC-SIGNATURE", value: H.sign(body))
                request.body = .bytes(ByteBuffer(string: body))
                #expect(try await http.execute(request, timeout: .seconds(30)).status == .ok)
            }
            child.signal(SIGTERM)
            #expect(await child.wait() == 0)
            let output = child.stdout() + child.stderr()
            for secret in [H.sharedSecret, H.apiKey, H.dashboardToken] { #expect(!output.contains(secret)) }
        }
    }

    @Test("serve refuses a dashboard token shorter than 16 characters, naming the variable")
    func shortToken() async throws {
        let output = try await Shell.run(
            try executable(), ["serve", "--listen", "127.0.0.1:0"],
            environment: [
                "PROVISIONER_DASHBOARD_TOKEN": "short", "VERIFF_SHARED_SECRET": H.sharedSecret,
                "VERIFF_API_KEY": H.apiKey,
            ])
        #expect(output.status == 64)
        #expect(output.stderr.contains("PROVISIONER_DASHBOARD_TOKEN") && !output.stderr.contains("short\""))
    }

    @Test("300 unauthenticated 1 MiB bodies at once raise the receiver's memory by less than 32 MiB")
    func unauthenticatedBodiesDoNotGrowMemory() async throws {
        let files = try secretFiles()
        defer { files.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        try await TestDatabase.withFresh { conninfo in
            let (child, baseURL) = try await start(
                [
                    "webhooks", "--listen", "127.0.0.1:0", "--shared-secret-file", files[0], "--api-key-file",
                    files[1],
                ], conninfo: conninfo)
            defer { child.signal(SIGKILL) }
            let port = try #require(Int(baseURL.split(separator: ":").last ?? ""))

            // Warm up every code path once (a signed webhook, refusals of each kind) so that what follows measures
            // the attack, not first use.
            try await H.withClient { http in
                for key in [H.apiKey, nil, "00000000-0000-4000-8000-000000000000"] {
                    let body = H.event(sessionID: "warm")
                    var request = HTTPClientRequest(url: baseURL + "/webhooks/event")
                    request.method = .POST
                    if let key { request.headers.add(name: "X-AUTH-CLIENT", value: key) }
                    request.headers.add(name: "X-HMAC-SIGNATURE", value: H.sign(body))
                    request.body = .bytes(ByteBuffer(string: body))
                    _ = try await http.execute(request, timeout: .seconds(30))
                }
            }
            // Reset VmHWM to the current size (Linux ≥ 4.0), so that afterwards it is the attack's peak.
            ProcessMemory.resetPeak(pid: child.pid)
            let before = try ProcessMemory.read(pid: child.pid)

            let size = (1 << 20) - 1
            let peak = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    // Samples the resident size while the attack runs.
                    var highest = 0
                    for _ in 0..<2000 {
                        highest = max(highest, (try? ProcessMemory.read(pid: child.pid).resident) ?? 0)
                        try? await Task.sleep(for: .milliseconds(10))
                        if Task.isCancelled { break }
                    }
                    return highest
                }
                try await withThrowingTaskGroup(of: Void.self) { attack in
                    for _ in 0..<300 {
                        attack.addTask {
                            let connection = try await RawConnection.open(port: port)
                            await connection.send(
                                "POST /webhooks/decision HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: \(size)\r\n\r\n")
                            var sent = 0
                            while sent < size, !connection.isClosed {
                                let chunk = min(64 << 10, size - sent)
                                guard await connection.send(filler: chunk) else { break }
                                sent += chunk
                            }
                            await connection.waitUntilClosed()
                        }
                    }
                    try await attack.waitForAll()
                }
                group.cancelAll()
                return try await group.next() ?? 0
            }
            let after = try ProcessMemory.read(pid: child.pid)
            let growth = max(after.peak, peak) - before.resident
            print(
                "memory: VmRSS before \(before.resident >> 10) KiB, VmHWM after \(after.peak >> 10) KiB, highest "
                    + "VmRSS sampled \(peak >> 10) KiB: growth \(growth >> 10) KiB for 300 unauthenticated 1 MiB bodies"
            )
            #expect(growth < 32 << 20)
            child.signal(SIGTERM)
            #expect(await child.wait() == 0)
        }
    }
}

/// VmRSS and VmHWM of a process, from /proc/PID/status, in bytes.
enum ProcessMemory {
    struct Reading {
        var resident: Int
        var peak: Int
    }

    static func read(pid: pid_t) throws -> Reading {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func kilobytes(_ field: String) -> Int {
            for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
            }
            return 0
        }
        return Reading(resident: kilobytes("VmRSS") << 10, peak: kilobytes("VmHWM") << 10)
    }

    /// Sets VmHWM back to VmRSS (`echo 5 > /proc/PID/clear_refs`); without the right to, VmHWM keeps the
    /// startup peak and the measure only gets more cautious.
    static func resetPeak(pid: pid_t) {
        guard let file = FileHandle(forWritingAtPath: "/proc/\(pid)/clear_refs") else { return }
        file.write(Data("5".utf8))
        try? file.close()
    }
}
