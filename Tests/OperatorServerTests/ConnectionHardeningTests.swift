import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OperatorServer
import Postgres
import Synchronization
import TestSupport
import Testing

/// Hostile clients against the real server on loopback: idle, slow and half-sent connections, too many
/// connections, unauthenticated bodies. Timeouts are short here (the defaults are documented in ConnectionLimits).
@Suite("operator server: timeouts, connection cap, early authentication", .timeLimit(.minutes(10)))
struct ConnectionHardeningTests {
    typealias H = ServerHarness

    static let shortLimits = ConnectionLimits(
        idleTimeout: .seconds(1), requestHeadTimeout: .seconds(1), bodyReadTimeout: .seconds(1),
        maximumConnections: 512, refusalDrainTimeout: .seconds(1))

    @Test("300 idle, slow-header and half-sent connections are closed by the server while signed webhooks go through")
    func slowClientsAreCut() async throws {
        try await H.run(try H.configuration(limits: Self.shortLimits)) { h in
            let clock = ContinuousClock()
            // 100 that send nothing, 100 that trickle a header byte every 200 ms (slowloris), 100 that send an
            // authenticated head and half the body they announce.
            var idle: [RawConnection] = []
            var slow: [RawConnection] = []
            var halfSent: [RawConnection] = []
            let opened = clock.now
            for _ in 0..<100 { idle.append(try await RawConnection.open(port: h.port)) }
            for _ in 0..<100 {
                let connection = try await RawConnection.open(port: h.port)
                await connection.send("POST /webhooks/event HTTP/1.1\r\nHost: localhost\r\n")
                slow.append(connection)
            }
            for _ in 0..<100 {
                let connection = try await RawConnection.open(port: h.port)
                await connection.send(
                    "POST /webhooks/event HTTP/1.1\r\nHost: localhost\r\nX-AUTH-CLIENT: \(H.apiKey)\r\n"
                        + "X-HMAC-SIGNATURE: \(String(repeating: "0", count: 64))\r\nContent-Length: 1000\r\n\r\n")
                await connection.send(filler: 500)
                halfSent.append(connection)
            }
            let rows = try await (0..<20).asyncMap { try await h.provisionedRow(sessionID: "slow-\($0)") }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in slow {
                    group.addTask {
                        // One byte every 200 ms, for at most 100 bytes (20 s): the head never completes.
                        for _ in 0..<100 where !connection.isClosed {
                            await connection.send("X")
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                }
                // Meanwhile Veriff's signed webhooks are answered and applied.
                for (index, id) in rows.enumerated() {
                    let answer = try await h.post(H.event, H.event(sessionID: "slow-\(index)"))
                    #expect(answer.status == 200)
                    #expect(try await h.sessionStatus(id) == "started")
                }
                try await group.waitForAll()
            }

            var lastClose = Duration.zero
            for connection in idle + slow + halfSent {
                await connection.waitUntilClosed()
                lastClose = max(lastClose, opened.duration(to: clock.now))
            }
            let allClosed = (idle + slow + halfSent).allSatisfy { $0.isClosed }
            #expect(allClosed)
            #expect(slow.allSatisfy { $0.receivedText.isEmpty }, "nothing answered to a head that never came")

            let metrics = try await h.get("/metrics", bearer: H.dashboardToken).body
            let idleClosed = H.metric(
                "provisioner_server_connections_closed_total{reason=\"idle_timeout\"}", in: metrics)
            let headClosed = H.metric(
                "provisioner_server_connections_closed_total{reason=\"head_timeout\"}", in: metrics)
            let bodyClosed = H.metric(
                "provisioner_server_connections_closed_total{reason=\"body_timeout\"}", in: metrics)
            #expect((idleClosed ?? 0) >= 100)
            #expect((headClosed ?? 0) >= 100)
            #expect((bodyClosed ?? 0) >= 100)
            print(
                "hardening: 300 slow connections closed by the server (idle \(idleClosed ?? 0), head \(headClosed ?? 0), "
                    + "body \(bodyClosed ?? 0)); the last \(lastClose) after the first was opened; 20/20 webhooks applied"
            )
        }
    }

    @Test("beyond the connection cap, new connections wait in the backlog until one closes")
    func connectionCap() async throws {
        let limits = ConnectionLimits(maximumConnections: 8)
        try await H.run(try H.configuration(limits: limits)) { h in
            // Eight kept-alive connections, each answered once: all eight are accepted and held.
            var held: [RawConnection] = []
            for _ in 0..<8 {
                let connection = try await RawConnection.open(port: h.port)
                await connection.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(await connection.waitForReceived(containing: "\r\n\r\nok\n"))
                held.append(connection)
            }
            let answered = Shared<Int?>(nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let answer = try await h.get("/healthz")
                    answered.value = answer.status
                }
                // A ninth is not served while eight are open (whatever the machine's speed, it cannot be earlier).
                try await Task.sleep(for: .milliseconds(700))
                #expect(answered.value == nil, "a ninth connection was served with eight open")
                await held[0].close()
                try await group.waitForAll()
            }
            #expect(answered.value == 200)
            for connection in held.dropFirst() { await connection.close() }
        }
    }

    @Test("a wrong or missing X-AUTH-CLIENT gets 401 from the head alone, and the connection closes")
    func authenticationBeforeBody() async throws {
        try await H.run(try H.configuration(limits: Self.shortLimits)) { h in
            for key in [nil, "00000000-0000-4000-8000-000000000000"] {
                let connection = try await RawConnection.open(port: h.port)
                let header = key.map { "X-AUTH-CLIENT: \($0)\r\n" } ?? ""
                // A head announcing 900 kB, and not one byte of body.
                await connection.send(
                    "POST /webhooks/decision HTTP/1.1\r\nHost: localhost\r\n\(header)Content-Length: 900000\r\n\r\n")
                #expect(await connection.waitForReceived(containing: "HTTP/1.1 401"))
                await connection.waitUntilClosed()
                #expect(connection.receivedText.lowercased().contains("connection: close"))
            }
            // Content-Length over the limit: 413 before the body, whatever the key.
            let large = try await RawConnection.open(port: h.port)
            await large.send(
                "POST /webhooks/decision HTTP/1.1\r\nHost: localhost\r\nX-AUTH-CLIENT: \(H.apiKey)\r\n"
                    + "Content-Length: \(10 << 20)\r\n\r\n")
            #expect(await large.waitForReceived(containing: "HTTP/1.1 413"))
            await large.waitUntilClosed()
            #expect(try await QueueRowsCount.webhookEvents(h.db) == 0)
        }
    }

    @Test("an authenticated head waits for its body; Expect: 100-continue is answered only after authentication")
    func bodyAfterAuthentication() async throws {
        try await H.run(try H.configuration()) { h in
            let id = try await h.provisionedRow(sessionID: "late-body")
            let body = H.event(sessionID: "late-body")
            let connection = try await RawConnection.open(port: h.port)
            await connection.send(
                "POST /webhooks/event HTTP/1.1\r\nHost: localhost\r\nX-AUTH-CLIENT: \(H.apiKey)\r\n"
                    + "X-HMAC-SIGNATURE: \(H.sign(body))\r\nExpect: 100-continue\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n")
            #expect(await connection.waitForReceived(containing: "HTTP/1.1 100 Continue"))
            #expect(!connection.receivedText.contains("HTTP/1.1 200"))
            await connection.send(body)
            #expect(await connection.waitForReceived(containing: "HTTP/1.1 200"))
            #expect(try await h.sessionStatus(id) == "started")
            await connection.close()

            // Without the key: 401, never 100 Continue.
            let stranger = try await RawConnection.open(port: h.port)
            await stranger.send(
                "POST /webhooks/event HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"
            )
            #expect(await stranger.waitForReceived(containing: "HTTP/1.1 401"))
            #expect(!stranger.receivedText.contains("100 Continue"))
            await stranger.close()
        }
    }

    @Test("a chunked body is cut at the limit with 413 and nothing is recorded")
    func chunkedOverLimit() async throws {
        try await H.run(try H.configuration(bodyLimit: 4096)) { h in
            let connection = try await RawConnection.open(port: h.port)
            await connection.send(
                "POST /webhooks/event HTTP/1.1\r\nHost: localhost\r\nX-AUTH-CLIENT: \(H.apiKey)\r\n"
                    + "X-HMAC-SIGNATURE: \(String(repeating: "0", count: 64))\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<4 {
                await connection.send("800\r\n" + String(repeating: "y", count: 0x800) + "\r\n")
            }
            #expect(await connection.waitForReceived(containing: "HTTP/1.1 413"))
            await connection.waitUntilClosed()
            #expect(try await QueueRowsCount.webhookEvents(h.db) == 0)
        }
    }
}

/// Counts in the test database.
enum QueueRowsCount {
    static func webhookEvents(_ db: Postgres.PostgresConnection) async throws -> Int {
        try await db.query("SELECT count(*) AS n FROM webhook_events").first?.decode("n") ?? -1
    }
}

extension Sequence {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
