import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Postgres
import TestSupport
import Testing
import VeriffAPI

/// The receiver under a burst: many distinct webhooks at once, every one recorded; prints the figures.
@Suite("webhook receiver under load", .timeLimit(.minutes(10)))
struct WebhookLoadTests {
    @Test("2,000 distinct signed webhooks, 16 at a time: all answered 200 and applied")
    func burst() async throws {
        let count = 2000
        let concurrency = 16
        try await WebhookHarness.run { h in
            try await h.db.execute(
                """
                INSERT INTO session_queue (status, email, session_id, session_url, session_status, provisioned_at,
                                           expires_at)
                SELECT 'provisioned', 'u' || i || '@example.com', 'load-' || i, 'https://v.example/' || i, 'created',
                       now(), now() + interval '7 days'
                FROM generate_series(1, $1) AS i
                """, [count])
            // Signed in-process here: the openssl-signed tests check the signature itself.
            let requests = (1...count).map { index in
                let body = WebhookFixtures.event(sessionID: "load-\(index)", code: 7001, action: "started")
                var request = HTTPClientRequest(url: h.baseURL + WebhookHarness.event)
                request.method = .POST
                request.headers.add(name: "X-AUTH-CLIENT", value: StandInTesting.apiKey)
                request.headers.add(
                    name: "X-HMAC-SIGNATURE",
                    value: WebhookSignature.sign(body: Array(body.utf8), secret: WebhookFixtures.sharedSecret))
                request.body = .bytes(ByteBuffer(string: body))
                return request
            }
            let clock = ContinuousClock()
            let start = clock.now
            let results = try await withThrowingTaskGroup(of: [(UInt, Duration)].self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var mine: [(UInt, Duration)] = []
                        for index in stride(from: worker, to: count, by: concurrency) {
                            let sent = clock.now
                            let response = try await h.http.execute(requests[index], timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 16)
                            mine.append((response.status.code, clock.now - sent))
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let elapsed = clock.now - start
            #expect(results.count == count)
            #expect(results.allSatisfy { $0.0 == 200 })
            let applied = try await h.db.query(
                "SELECT count(*) AS n FROM session_queue WHERE session_status = 'started'")
            #expect(try applied.first?.decode("n", as: Int.self) == count)
            let audited = try await h.db.query("SELECT count(*) AS n FROM webhook_events WHERE applied")
            #expect(try audited.first?.decode("n", as: Int.self) == count)

            let latencies = results.map(\.1).sorted()
            func milliseconds(_ duration: Duration) -> String {
                String(
                    format: "%.2f",
                    Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "webhook load: \(count) webhooks, \(concurrency) at a time, in \(String(format: "%.2f", seconds)) s "
                    + "= \(Int(Double(count) / seconds))/s; latency p50 \(milliseconds(latencies[count / 2])) ms, "
                    + "p99 \(milliseconds(latencies[count * 99 / 100])) ms, max \(milliseconds(latencies[count - 1])) ms"
            )
        }
    }
}
