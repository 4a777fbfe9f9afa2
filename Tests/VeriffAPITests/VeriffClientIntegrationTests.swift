import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

/// The client over real loopback HTTP against the stand-in (and a few hand-made servers): one test per class.
@Suite("VeriffClient against the stand-in", .timeLimit(.minutes(2)))
struct VeriffClientIntegrationTests {
    static let validRequest = EndUser(
        firstName: "John", lastName: "Smith", documentNumber: "B01234567", documentType: "PASSPORT",
        documentCountry: "EE", vendorData: "row-1", endUserId: "fa820aba-019f-455a-ae81-cfca8075bc3f",
        callback: "https://veriff.com"
    ).sessionRequest()

    private func attempt(
        _ configuration: StandInConfiguration = StandInTesting.configuration(),
        request: SessionRequest = validRequest,
        adjust: @Sendable (inout VeriffConfiguration) -> Void = { _ in },
        before: @Sendable (VeriffStandIn) async throws -> Void = { _ in }
    ) async throws -> (SessionAttempt, StandInStats) {
        try await withStandIn(configuration) { standIn in
            try await before(standIn)
            var clientConfiguration = StandInTesting.clientConfiguration(for: standIn)
            adjust(&clientConfiguration)
            let attempt = try await withVeriffClient(clientConfiguration) { client in
                await client.createSession(request)
            }
            return (attempt, standIn.stats())
        }
    }

    // MARK: created

    @Test("created: the session is the one the stand-in made, and both URL spellings work")
    func created() async throws {
        let (attempt, stats) = try await attempt()
        guard case .created(let session) = attempt.outcome else {
            Issue.record("expected created, got \(attempt.outcome)")
            return
        }
        #expect(attempt.httpStatus == 201)
        let made = try #require(stats.sessions?.first?.session)
        #expect(session == made)
        #expect(session.vendorData == "row-1")
        #expect(session.endUserId == "fa820aba-019f-455a-ae81-cfca8075bc3f")
        #expect(session.url.hasPrefix("https://") && session.sessionToken != nil && session.host != nil)
        #expect(stats.sessionsCreated == 1 && stats.requests(status: 201) == 1)

        let (slash, _) = try await self.attempt(adjust: { $0.baseURL += "/" })
        #expect(slash.outcome.kind == "created")
    }

    @Test("the request carries exactly Veriff's headers and body, to POST /v1/sessions")
    func headers() async throws {
        let seen = Seen()
        let responder = ClosureResponder { request in
            seen.record(request)
            return HTTPResponse(
                status: .created, contentType: "application/json",
                body: """
                    {"status":"success","verification":{"id":"s-1","url":"https://x/v/t","status":"created"}}
                    """)
        }
        try await withHTTPServer(logger: Logger(label: "test"), responder: responder) { server in
            var configuration = VeriffConfiguration(
                baseURL: server.baseURL, apiKey: APIKey(StandInTesting.apiKey), userAgent: "provisioner/1.2.3"
            )
            let plain = try await withVeriffClient(configuration) { await $0.createSession(Self.validRequest) }
            #expect(plain.outcome.kind == "created")
            configuration.integrationID = "integration-42"
            _ = try await withVeriffClient(configuration) { await $0.createSession(SessionRequest()) }
        }
        let requests = seen.requests
        try #require(requests.count == 2)
        let first = requests[0]
        #expect(first.method == .POST && first.uri == "/v1/sessions")
        #expect(first.headers.first(name: "Content-Type") == "application/json")
        #expect(first.headers.first(name: "X-AUTH-CLIENT") == StandInTesting.apiKey)
        #expect(first.headers.first(name: "User-Agent") == "provisioner/1.2.3")
        #expect(!first.headers.contains(name: "vrf-integration-id"))
        #expect(!first.headers.contains(name: "X-HMAC-SIGNATURE"))
        let body = try JSONDecoder().decode(SessionRequest.self, from: Data(first.body.readableBytesView))
        #expect(body == Self.validRequest)
        #expect(requests[1].headers.first(name: "vrf-integration-id") == "integration-42")
        #expect(String(buffer: requests[1].body) == #"{"verification":{}}"#)
    }

    // MARK: rejected

    @Test(
        "rejected: Veriff's code and message are kept",
        arguments: [
            (SessionRequest.Verification(callback: "http://127.0.0.1/back"), "1302"),
            (SessionRequest.Verification(vendorData: String(repeating: "v", count: 1001)), "1500"),
            (SessionRequest.Verification(document: .init(country: "est")), "1104"),
            (SessionRequest.Verification(endUserId: "not-a-uuid"), "1104"),
            (SessionRequest.Verification(person: .init(dateOfBirth: "1980-02-30")), "1104"),
            (SessionRequest.Verification(person: .init(gender: "X")), "1104"),
        ]
    )
    func rejected(verification: SessionRequest.Verification, code: String) async throws {
        let (attempt, stats) = try await attempt(request: SessionRequest(verification: verification))
        guard case .rejected(let failure) = attempt.outcome else {
            Issue.record("expected rejected, got \(attempt.outcome)")
            return
        }
        #expect(failure.httpStatus == 400 && failure.code == code && !failure.message.isEmpty)
        #expect(stats.sessionsCreated == 0)
    }

    @Test("rejected: a numeric code is kept as a string; other 4xx are rejections too")
    func numericCode() async throws {
        let responder = ClosureResponder { request in
            request.uri.hasSuffix("/v1/sessions") && request.headers.first(name: "User-Agent") != "teapot"
                ? HTTPResponse(
                    status: .badRequest, contentType: "application/json",
                    body: #"{"status":"fail","code":1102,"message":"Mandatory parameters are missing"}"#)
                : HTTPResponse(status: .unprocessableEntity, contentType: "text/plain", body: "nope")
        }
        try await withHTTPServer(logger: Logger(label: "test"), responder: responder) { server in
            var configuration = VeriffConfiguration(baseURL: server.baseURL, apiKey: APIKey(StandInTesting.apiKey))
            let attempt = try await withVeriffClient(configuration) { await $0.createSession(SessionRequest()) }
            #expect(
                attempt.outcome
                    == .rejected(
                        VeriffFailure(
                            httpStatus: 400, code: "1102", message: "Mandatory parameters are missing"
                        )))
            configuration.userAgent = "teapot"
            let other = try await withVeriffClient(configuration) { await $0.createSession(SessionRequest()) }
            #expect(
                other.outcome == .rejected(VeriffFailure(httpStatus: 422, code: nil, message: "Unprocessable Entity")))
        }
    }

    // MARK: rate limited

    @Test("rate limited: beyond the cap, with Retry-After in seconds until a slot frees")
    func cap() async throws {
        try await withStandIn(StandInTesting.configuration(cap: 2, window: .seconds(20))) { standIn in
            try await withVeriffClient(StandInTesting.clientConfiguration(for: standIn)) { client in
                for _ in 0..<2 {
                    #expect(await client.createSession(Self.validRequest).outcome.kind == "created")
                }
                let limited = await client.createSession(Self.validRequest)
                #expect(limited.httpStatus == 429)
                guard case .rateLimited(let retryAfter?) = limited.outcome else {
                    Issue.record("expected rateLimited with a delay, got \(limited.outcome)")
                    return
                }
                #expect(retryAfter > .seconds(15) && retryAfter <= .seconds(20))
            }
            let stats = standIn.stats()
            #expect(stats.sessionsCreated == 2 && stats.requests(status: 429) == 1 && stats.maxSessionsInAnyWindow == 2)
        }
    }

    @Test("rate limited: Retry-After as seconds, as an HTTP date, absent, and clamped")
    func retryAfterForms() async throws {
        let inThirty = RetryAfter.imfFixdate(unixTime: Int64(Date().timeIntervalSince1970) + 30)
        let cases: [(String?, ClosedRange<Duration>?)] = [
            ("7", .seconds(7)...(.seconds(7))),
            // An HTTP date has one-second resolution, and a busy machine may take seconds to get here.
            (inThirty, .seconds(15)...(.seconds(31))),
            ("86400", .seconds(300)...(.seconds(300))),
            (nil, nil),
        ]
        for (header, expected) in cases {
            let (attempt, stats) = try await attempt(before: { $0.force429(count: 1, retryAfter: header) })
            guard case .rateLimited(let retryAfter) = attempt.outcome else {
                Issue.record("expected rateLimited for \(header ?? "none"), got \(attempt.outcome)")
                continue
            }
            if let expected {
                #expect(
                    retryAfter.map { expected.contains($0) } == true,
                    "\(header ?? "none") → \(String(describing: retryAfter))")
            } else {
                #expect(retryAfter == nil)
            }
            #expect(stats.sessionsCreated == 0)
        }
    }

    @Test("rate limited: a random burst of 429s (another system on the same cap)")
    func burst() async throws {
        let (attempt, stats) = try await attempt(
            StandInTesting.configuration(faults: .init(rateLimitBurst: 1, rateLimitBurstLength: 3))
        )
        #expect(attempt.outcome == .rateLimited(retryAfter: .seconds(1)))
        #expect(stats.requests(status: 429) == 1 && stats.sessionsCreated == 0)
    }

    // MARK: transient

    @Test("transient: 500 with JSON, 503 with HTML, 502 from a proxy")
    func serverErrors() async throws {
        let (internalError, stats) = try await attempt(StandInTesting.configuration(faults: .init(internalError: 1)))
        guard case .transient(let reason) = internalError.outcome else {
            Issue.record("expected transient, got \(internalError.outcome)")
            return
        }
        #expect(internalError.httpStatus == 500 && reason.contains("HTTP 500"))
        #expect(stats.sessionsCreated == 0)

        let (html, _) = try await attempt(StandInTesting.configuration(faults: .init(serviceUnavailableHTML: 1)))
        guard case .transient(let htmlReason) = html.outcome else {
            Issue.record("expected transient, got \(html.outcome)")
            return
        }
        #expect(html.httpStatus == 503 && htmlReason.contains("text/html"))

        let (proxy, _) = try await attempt(before: { $0.force(status: 502) })
        #expect(proxy.outcome.kind == "transient" && proxy.httpStatus == 502)
    }

    @Test("transient: nothing listens (connection refused), so nothing was sent")
    func refused() async throws {
        // Port 1 on loopback: nothing listens there, and no other test's ephemeral server can be given it.
        let configuration = VeriffConfiguration(
            baseURL: "http://127.0.0.1:1", apiKey: APIKey(StandInTesting.apiKey), userAgent: "provisioner-tests/0")
        let attempt = try await withVeriffClient(configuration) { await $0.createSession(Self.validRequest) }
        guard case .transient(let reason) = attempt.outcome else {
            Issue.record("expected transient, got \(attempt.outcome)")
            return
        }
        #expect(reason.contains("not sent") && attempt.httpStatus == nil)
    }

    // MARK: fatal

    @Test("fatal: wrong key (1803), key not a UUID (1802), no key (1801)")
    func wrongKey() async throws {
        let keys = [("11111111-2222-3333-4444-555555555555", "1803"), ("not-a-uuid", "1802"), ("", "1801")]
        for (key, code) in keys {
            let (attempt, stats) = try await attempt(adjust: { $0.apiKey = APIKey(key) })
            guard case .fatal(let failure) = attempt.outcome else {
                Issue.record("expected fatal for \(code), got \(attempt.outcome)")
                continue
            }
            #expect(failure.httpStatus == 401 && failure.code == code)
            #expect(failure.message.contains("API key") || failure.message.contains("VERIFF_INTEGRATION_ID"))
            #expect(stats.sessionsCreated == 0)
        }
    }

    @Test("fatal: wrong integration id, 403, and 404 for a wrong base URL")
    func wrongIntegrationOrURL() async throws {
        var configuration = StandInTesting.configuration()
        configuration.integrationID = "integration-1"
        let (integration, _) = try await attempt(configuration, adjust: { $0.integrationID = "integration-2" })
        guard case .fatal(let failure) = integration.outcome else {
            Issue.record("expected fatal, got \(integration.outcome)")
            return
        }
        #expect(failure.code == "1803" && failure.message.contains("VERIFF_INTEGRATION_ID"))
        let (matching, _) = try await attempt(configuration, adjust: { $0.integrationID = "integration-1" })
        #expect(matching.outcome.kind == "created")

        let (forbidden, _) = try await attempt(before: { $0.force(status: 403) })
        #expect(forbidden.outcome.kind == "fatal" && forbidden.httpStatus == 403)

        let (notFound, _) = try await attempt(adjust: { $0.baseURL += "/api" })
        guard case .fatal(let missing) = notFound.outcome else {
            Issue.record("expected fatal, got \(notFound.outcome)")
            return
        }
        #expect(missing.httpStatus == 404 && missing.message.contains("VERIFF_BASE_URL"))
    }

    @Test("fatal without sending: plain http to a host that is not loopback")
    func insecureBaseURL() async throws {
        let configuration = VeriffConfiguration(
            baseURL: "http://stationapi.veriff.com", apiKey: APIKey(StandInTesting.apiKey))
        let attempt = try await withVeriffClient(configuration) { await $0.createSession(SessionRequest()) }
        guard case .fatal(let failure) = attempt.outcome else {
            Issue.record("expected fatal, got \(attempt.outcome)")
            return
        }
        #expect(failure.httpStatus == 0 && failure.message.contains("http://") && attempt.httpStatus == nil)
    }

    // MARK: in doubt

    @Test("in doubt: reset after sending; the session exists at the stand-in")
    func reset() async throws {
        let (attempt, stats) = try await attempt(StandInTesting.configuration(faults: .init(connectionReset: 1)))
        guard case .inDoubt(let reason) = attempt.outcome else {
            Issue.record("expected inDoubt, got \(attempt.outcome)")
            return
        }
        #expect(reason.contains("after the request was sent") && attempt.httpStatus == nil)
        #expect(stats.sessionsCreated == 1 && stats.requestsByStatus["reset"] == 1)
    }

    @Test("in doubt: no answer within the timeout after sending")
    func timeout() async throws {
        let faults = StandInFaults(slowAnswer: 1, slowAnswerDelay: .seconds(3))
        let (attempt, stats) = try await attempt(
            StandInTesting.configuration(faults: faults), adjust: { $0.requestTimeout = .milliseconds(500) }
        )
        guard case .inDoubt(let reason) = attempt.outcome else {
            Issue.record("expected inDoubt, got \(attempt.outcome)")
            return
        }
        #expect(reason.contains("no answer"))
        #expect(attempt.duration >= .milliseconds(450) && attempt.duration < .seconds(3))
        #expect(stats.sessionsCreated == 1)
    }

    @Test("in doubt: 201 with a body that is not valid JSON")
    func brokenBody() async throws {
        let (attempt, stats) = try await attempt(StandInTesting.configuration(faults: .init(brokenBody: 1)))
        guard case .inDoubt(let reason) = attempt.outcome else {
            Issue.record("expected inDoubt, got \(attempt.outcome)")
            return
        }
        #expect(attempt.httpStatus == 201 && reason.contains("not a session"))
        #expect(stats.sessionsCreated == 1)
    }
}

/// Requests seen by a hand-made server.
final class Seen: Sendable {
    private let storage = LockedRequests()
    func record(_ request: HTTPRequest) { storage.append(request) }
    var requests: [HTTPRequest] { storage.all }
}
