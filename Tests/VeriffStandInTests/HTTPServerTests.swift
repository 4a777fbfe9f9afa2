import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import VeriffStandIn

@Suite(
    "HTTPServer: ephemeral port, keep-alive, body limit, async responder, graceful shutdown", .timeLimit(.minutes(10)))
struct HTTPServerTests {
    private let logger = Logger(label: "test.http")

    private func withClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func get(_ client: HTTPClient, _ url: String, body: String? = nil) async throws -> (
        Int, String, HTTPHeaders
    ) {
        var request = HTTPClientRequest(url: url)
        if let body {
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), text, response.headers)
    }

    @Test("port 0 binds a free port; requests on one kept-alive connection share it")
    func keepAlive() async throws {
        let peers = Mutex<[String]>([])
        let responder = ClosureResponder { request in
            peers.withLock { $0.append("\(request.remoteAddress?.port ?? -1)") }
            return HTTPResponse(
                status: .ok, contentType: "text/plain", body: "hello \(request.path) \(request.query("q") ?? "")")
        }
        try await withHTTPServer(logger: logger, responder: responder) { server in
            #expect(server.port > 0 && server.baseURL == "http://127.0.0.1:\(server.port)")
            try await withClient { client in
                for index in 0..<3 {
                    let (status, text, headers) = try await get(client, server.baseURL + "/a/b?q=x%20y+\(index)")
                    #expect(status == 200 && text == "hello /a/b x y \(index)")
                    #expect(headers.first(name: "Content-Length") == "\(text.utf8.count)")
                    #expect(!headers.contains(name: "Connection"))
                }
            }
        }
        let seen = peers.withLock { $0 }
        #expect(seen.count == 3 && Set(seen).count == 1)
    }

    @Test("a body over the limit gets 413; one at the limit is served")
    func bodyLimit() async throws {
        let responder = ClosureResponder { request in
            HTTPResponse(status: .ok, contentType: "text/plain", body: "\(request.body.readableBytes)")
        }
        let configuration = HTTPServerConfiguration(maximumBodySize: 1024)
        try await withHTTPServer(configuration: configuration, logger: logger, responder: responder) { server in
            try await withClient { client in
                let (ok, text, _) = try await get(client, server.baseURL, body: String(repeating: "a", count: 1024))
                #expect(ok == 200 && text == "1024")
                let (tooLarge, _, headers) = try await get(
                    client, server.baseURL, body: String(repeating: "a", count: 1025))
                #expect(tooLarge == 413 && headers.first(name: "Connection") == "close")
            }
        }
    }

    @Test("async answers run concurrently; delayed answers wait on the event loop")
    func concurrency() async throws {
        let responder = ClosureResponder { request in
            if request.path == "/delayed" {
                return HTTPResponse(status: .ok, contentType: "text/plain", body: "late", delay: .milliseconds(200))
            }
            try? await Task.sleep(for: .milliseconds(200))
            return HTTPResponse(status: .accepted, contentType: "text/plain", body: "slept")
        }
        try await withHTTPServer(logger: logger, responder: responder) { server in
            try await withUnpooledClient { client in
                let clock = ContinuousClock()
                let start = clock.now
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<10 {
                        group.addTask { try await get(client, server.baseURL + (index % 2 == 0 ? "/delayed" : "/")).0 }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let elapsed = clock.now - start
                #expect(statuses.sorted() == Array(repeating: 200, count: 5) + Array(repeating: 202, count: 5))
                // Ten 200 ms answers at once take about 200 ms, not 2 s; the upper bound is loose for busy machines.
                #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(1.9))
            }
        }
    }

    @Test("shutdown lets an in-flight request finish, then refuses new connections")
    func gracefulShutdown() async throws {
        // The responder says when the request has reached it, so shutdown starts mid-request even on a busy machine.
        let (started, startedSink) = AsyncStream<Void>.makeStream()
        let responder = ClosureResponder { _ in
            startedSink.yield()
            try? await Task.sleep(for: .milliseconds(300))
            return HTTPResponse(status: .ok, contentType: "text/plain", body: "finished")
        }
        let server = try await HTTPServer.start(logger: logger, responder: responder)
        let url = server.baseURL
        try await withUnpooledClient { client in
            async let inFlight = get(client, url)
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            try await server.shutdown()
            let (status, text, _) = try await inFlight
            #expect(status == 200 && text == "finished")
            await #expect(throws: (any Error).self) { try await get(client, url) }
            try await server.shutdown()  // A second shutdown is harmless.
        }
    }

    /// A client with default pooling, always shut down (an HTTPClient deinitialised unshut traps the process).
    private func withUnpooledClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
