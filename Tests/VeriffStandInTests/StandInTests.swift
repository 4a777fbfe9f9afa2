import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import VeriffAPI

@testable import VeriffStandIn

@Suite("Stand-in internals: sliding window and JSON parser")
struct StandInInternalsTests {
    private let second: Int64 = 1_000_000_000

    @Test("the window counts arrivals in (now - window, now] and remembers the maximum")
    func slidingWindow() {
        var window = SlidingWindow(window: .seconds(60))
        for t in [0, 1, 2] { window.record(at: Int64(t) * second) }
        #expect(window.count(at: 59 * second) == 3)
        #expect(window.timeUntilSlotFrees(at: 59 * second) == 1 * second)
        #expect(window.count(at: 60 * second) == 2)
        #expect(window.count(at: 62 * second) == 0)
        #expect(window.timeUntilSlotFrees(at: 62 * second) == 0)
        #expect(window.maximum == 3)
    }

    @Test("a steady stream: the count stays at the rate × window, and compaction keeps it exact")
    func steadyStream() {
        var window = SlidingWindow(window: .seconds(1))
        let step = second / 1000  // 1,000 per second
        for index in 0..<20_000 { window.record(at: Int64(index) * step) }
        #expect(window.count(at: 19_999 * step) == 1000)
        #expect(window.maximum == 1000)
    }

    @Test("the parser reads valid JSON, escapes included")
    func parserValid() throws {
        let value = try JSONParser.parse(
            Array(#" {"a":[1,-2.5e3,true,false,null],"b":"x\"\\\/\n\u00e9\ud834\udd1e","c":{}} "#.utf8))
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x\"\\/\né𝄞"))
        #expect(value["c"] == .object([:]))
        #expect(try JSONParser.parse(Array(#""ä""#.utf8)) == .string("ä"))
    }

    @Test(
        "the parser refuses what Veriff's would",
        arguments: [
            "", "{", #"{"a":1,}"#, "[1,]", "01", "1.", "-", #"{"a" 1}"#, #"{a:1}"#, "tru", #""\ud834""#,
            "\"a\u{01}\"", #""\x""#, "{} {}", String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
        ]
    )
    func parserInvalid(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("invalid UTF-8 in a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }
}

@Suite("Stand-in over HTTP: Veriff's checks, cap, control endpoints, stats", .timeLimit(.minutes(10)))
struct StandInHTTPTests {
    private func post(
        _ client: HTTPClient, _ url: String, body: String, headers: [(String, String)]
    ) async throws -> (Int, [String: Any], HTTPHeaders) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let data = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (Int(response.status.code), json, response.headers)
    }

    private static let jsonKey = [("Content-Type", "application/json"), ("X-AUTH-CLIENT", StandInTesting.apiKey)]

    @Test(
        "bad requests get Veriff's status, shape and code",
        arguments: [
            (#"{"verification":{}}"#, [("X-AUTH-CLIENT", StandInTesting.apiKey)], 400, "1104"),  // no Content-Type
            ("{not json", jsonKey, 400, "1104"),
            ("{}", jsonKey, 400, "1102"),
            (#"{"verification":[]}"#, jsonKey, 400, "1104"),
            (#"{"verification":{"vendorData":12}}"#, jsonKey, 400, "1501"),
            (#"{"verification":{"person":{"firstName":3}}}"#, jsonKey, 400, "1104"),
            (#"{"verification":{"consents":[{"type":"ine"}]}}"#, jsonKey, 400, "1104"),
            (#"{"verification":{}}"#, [("Content-Type", "application/json")], 401, "1801"),
            (#"{"verification":{}}"#, [("Content-Type", "application/json"), ("X-AUTH-CLIENT", "key")], 401, "1802"),
        ]
    )
    func badRequests(body: String, headers: [(String, String)], status: Int, code: String) async throws {
        try await withStandIn { standIn in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let (answer, json, _) = try await post(
                client, standIn.baseURL + "/v1/sessions", body: body, headers: headers)
            #expect(answer == status)
            #expect(json["status"] as? String == "fail")
            #expect(json["code"] as? String == code)
            #expect((json["message"] as? String)?.isEmpty == false)
            #expect(standIn.stats().sessionsCreated == 0 && standIn.stats().requests(status: status) == 1)
        }
    }

    @Test("a short sliding window: the cap refuses, then admits again once arrivals age out")
    func slidingCap() async throws {
        // A 5 s window: four requests fit in it even on a loaded machine.
        try await withStandIn(StandInTesting.configuration(cap: 3, window: .seconds(5))) { standIn in
            try await withVeriffClient(StandInTesting.clientConfiguration(for: standIn)) { client in
                var kinds: [String] = []
                for _ in 0..<4 { kinds.append(await client.createSession(SessionRequest()).outcome.kind) }
                #expect(kinds == ["created", "created", "created", "rate_limited"])
                try await Task.sleep(for: .milliseconds(5100))
                #expect(await client.createSession(SessionRequest()).outcome.kind == "created")
            }
            let stats = standIn.stats()
            #expect(stats.sessionsCreated == 4 && stats.maxSessionsInAnyWindow == 3 && stats.requests(status: 429) == 1)
            let arrivals = stats.sessions?.map(\.arrival) ?? []
            #expect(arrivals == arrivals.sorted() && arrivals.count == 4)
        }
    }

    @Test("control endpoints: stats as JSON, force429 with an HTTP date; duplicates and latency are seen")
    func controlEndpoints() async throws {
        var configuration = StandInTesting.configuration()
        configuration.latencyMean = .milliseconds(60)
        configuration.latencyJitter = .milliseconds(20)
        try await withStandIn(configuration) { standIn in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let date = "Sun, 06 Nov 2044 08:49:37 GMT"
            let encoded = date.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (forced, _, _) = try await post(
                client, standIn.baseURL + "/_standin/force429?count=2&retryAfter=\(encoded)", body: "", headers: []
            )
            #expect(forced == 200)
            let body = #"{"verification":{"vendorData":"same"}}"#
            let clock = ContinuousClock()
            let start = clock.now
            var statuses: [Int] = []
            for _ in 0..<4 {
                let (status, json, headers) = try await post(
                    client, standIn.baseURL + "/v1/sessions/", body: body, headers: Self.jsonKey)
                statuses.append(status)
                if status == 429 { #expect(headers.first(name: "Retry-After") == date) }
                if status == 201 {
                    let verification = json["verification"] as? [String: Any]
                    #expect(verification?["vendorData"] as? String == "same")
                    #expect(verification?["status"] as? String == "created")
                }
            }
            #expect(statuses == [429, 429, 201, 201])
            #expect(clock.now - start >= .milliseconds(4 * 40))

            let response = try await client.execute(
                HTTPClientRequest(url: standIn.baseURL + "/_standin/stats?sessions=1"), timeout: .seconds(5)
            )
            let stats = try JSONDecoder().decode(
                StandInStats.self, from: Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
            )
            #expect(stats.sessionsCreated == 2 && stats.duplicateVendorData == 1)
            #expect(stats.requestsByStatus == ["429": 2, "201": 2])
            #expect(stats.sessions?.count == 2 && stats == standIn.stats())
        }
    }
}
