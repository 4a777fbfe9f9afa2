import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import VeriffAPI

/// Answers like Veriff's POST /v1/sessions, plus the `/_standin/...` control endpoints.
///
/// Everything is decided synchronously on the event loop (latency is a scheduled write, not a task), so the
/// stand-in stays far from being the bottleneck of a benchmark.
final class StandInResponder: HTTPResponder {
    let configuration: StandInConfiguration
    let start: ContinuousClock.Instant
    private let state: Mutex<StandInState>
    private let factory: SessionFactory

    init(configuration: StandInConfiguration) {
        self.configuration = configuration
        self.start = ContinuousClock.now
        self.state = Mutex(StandInState(window: configuration.window))
        self.factory = SessionFactory(host: configuration.sessionHost)
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        answer(request)
    }

    func respondImmediately(to request: HTTPRequest) -> HTTPResponse? {
        answer(request)
    }

    func stats(includeSessions: Bool) -> StandInStats {
        state.withLock { $0.stats(configuration: configuration, includeSessions: includeSessions) }
    }

    func force(status: Int, count: Int, retryAfter: String?) {
        state.withLock { state in
            for _ in 0..<max(0, count) {
                state.forced.append(StandInState.ForcedAnswer(status: status, retryAfter: retryAfter))
            }
        }
    }

    private func answer(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.path
        switch (request.method, path) {
        case (.POST, "/v1/sessions"), (.POST, "/v1/sessions/"):
            return createSession(request)
        case (.GET, "/_standin/stats"):
            let include = ["1", "true", "yes"].contains(request.query("sessions") ?? "")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(stats(includeSessions: include))) ?? Data("{}".utf8)
            return json(.ok, Array(body))
        case (.POST, "/_standin/force429"):
            let count = request.query("count").flatMap { Int($0) } ?? 1
            force(status: 429, count: count, retryAfter: request.query("retryAfter"))
            return json(.ok, Array(#"{"status":"ok"}"#.utf8))
        case (.POST, "/_standin/force"):
            guard let status = request.query("status").flatMap({ Int($0) }), (100...599).contains(status) else {
                return json(.badRequest, JSONWriter.failure(code: nil, message: "status=100...599 is required"))
            }
            force(status: status, count: request.query("count").flatMap { Int($0) } ?? 1, retryAfter: nil)
            return json(.ok, Array(#"{"status":"ok"}"#.utf8))
        default:
            return json(.notFound, JSONWriter.failure(code: nil, message: "Not found"))
        }
    }

    /// What one POST /v1/sessions comes to, decided under the lock.
    private enum Decision {
        case created(CreatedSession, fault: Fault?)
        case refused(StandInRejection, retryAfter: String?)
        case serviceUnavailableHTML

        /// The status counted in the stats; `nil` for a reset (no answer at all).
        var countedStatus: Int? {
            switch self {
            case .created(_, let fault): fault == .reset ? nil : 201
            case .refused(let rejection, _): rejection.status
            case .serviceUnavailableHTML: 503
            }
        }
    }

    private enum Fault {
        case reset, slow, brokenBody
    }

    private func createSession(_ request: HTTPRequest) -> HTTPResponse {
        let arrival = StandInState.nanoseconds(ContinuousClock.now - start)
        // The expensive checks need no shared state: they run outside the lock.
        let checked: Result<ValidatedBody, StandInRejection> =
            authenticate(request.headers).map { .failure($0) }
            ?? SessionBodyRules.check(
                body: Array(request.body.readableBytesView), contentType: request.headers.first(name: "Content-Type")
            )
        let (decision, latency) = state.withLock { state -> (Decision, Duration?) in
            let latency = state.latency(mean: configuration.latencyMean, jitter: configuration.latencyJitter)
            let decision: Decision
            if let forced = state.nextForced() {
                // A forced answer wins over everything else.
                decision = .refused(forcedRejection(forced.status), retryAfter: forced.retryAfter)
            } else {
                switch checked {
                case .failure(let rejection): decision = .refused(rejection, retryAfter: nil)
                case .success(let body): decision = decide(body, arrival: arrival, state: &state)
                }
            }
            if let status = decision.countedStatus {
                state.requestsByStatus[status, default: 0] += 1
            } else {
                state.resets += 1
            }
            return (decision, latency)
        }
        return response(for: decision, latency: latency)
    }

    /// 401 1801 no key, 1802 not a UUID, 1803 unknown key or integration.
    private func authenticate(_ headers: HTTPHeaders) -> StandInRejection? {
        guard let key = headers.first(name: "X-AUTH-CLIENT"), !key.isEmpty else {
            return StandInRejection(
                status: 401, code: "1801", message: "Mandatory X-AUTH-CLIENT header containing the API key is missing."
            )
        }
        guard EndUser.isUUID(key) else {
            return StandInRejection(status: 401, code: "1802", message: "API key is not a valid UUID.")
        }
        guard key == configuration.apiKey else {
            return StandInRejection(status: 401, code: "1803", message: "Integration with the API key was not found.")
        }
        if let integrationID = configuration.integrationID, headers.first(name: "vrf-integration-id") != integrationID {
            return StandInRejection(status: 401, code: "1803", message: "Integration was not found.")
        }
        return nil
    }

    private func forcedRejection(_ status: Int) -> StandInRejection {
        switch status {
        case 429: StandInRejection(status: 429, code: "1004", message: "Too many requests.")
        case 403: StandInRejection(status: 403, code: "1803", message: "Forbidden.")
        default:
            StandInRejection(
                status: status, code: String(status),
                message: HTTPResponseStatus(statusCode: status).reasonPhrase
            )
        }
    }

    /// Burst, cap and faults, then the session: all under the lock.
    private func decide(_ body: ValidatedBody, arrival: Int64, state: inout StandInState) -> Decision {
        let faults = configuration.faults
        if state.burstRemaining > 0 || state.random.chance(faults.rateLimitBurst) {
            if state.burstRemaining == 0 { state.burstRemaining = max(1, faults.rateLimitBurstLength) }
            state.burstRemaining -= 1
            return .refused(rateLimited(), retryAfter: "\(configuration.retryAfterSeconds ?? 1)")
        }
        if let cap = configuration.cap, state.window.count(at: arrival) >= cap {
            let wait =
                configuration.retryAfterSeconds
                ?? Int((state.window.timeUntilSlotFrees(at: arrival) + 999_999_999) / 1_000_000_000)
            return .refused(rateLimited(), retryAfter: "\(max(1, wait))")
        }
        if state.random.chance(faults.internalError) {
            return .refused(
                StandInRejection(status: 500, code: "1001", message: "Something went wrong."), retryAfter: nil
            )
        }
        if state.random.chance(faults.serviceUnavailableHTML) {
            return .serviceUnavailableHTML
        }
        let session = factory.makeSession(
            vendorData: body.vendorData, endUserId: body.endUserId,
            unixTime: Int64(Date().timeIntervalSince1970), random: &state.random
        )
        state.window.record(at: arrival)
        state.sessionsCreated += 1
        if let vendorData = body.vendorData, !state.vendorDataSeen.insert(vendorData).inserted {
            state.duplicateVendorData += 1
        }
        if configuration.keepsSessions {
            state.sessions.append(StandInSession(session: session, arrivalNanoseconds: arrival))
        }
        let fault: Fault? =
            state.random.chance(faults.connectionReset)
            ? .reset
            : state.random.chance(faults.slowAnswer)
                ? .slow
                : state.random.chance(faults.brokenBody) ? .brokenBody : nil
        return .created(session, fault: fault)
    }

    private func rateLimited() -> StandInRejection {
        StandInRejection(status: 429, code: "1004", message: "Too many requests: the integration's cap was reached.")
    }

    /// Turns the decision into bytes.
    private func response(for decision: Decision, latency: Duration?) -> HTTPResponse {
        var response: HTTPResponse
        switch decision {
        case .created(let session, let fault):
            let body = SessionFactory.body(for: session)
            switch fault {
            case .reset?:
                response = .resetConnection(after: latency)
            case .slow?:
                response = json(.created, body)
                response.delay = configuration.faults.slowAnswerDelay
            case .brokenBody?:
                response = json(.created, Array(body.prefix(body.count / 2)))
            case nil:
                response = json(.created, body)
            }
        case .refused(let rejection, let retryAfter):
            let body = JSONWriter.failure(code: rejection.code, message: rejection.message)
            response = json(HTTPResponseStatus(statusCode: rejection.status), body)
            if let retryAfter { response.headers.add(name: "Retry-After", value: retryAfter) }
        case .serviceUnavailableHTML:
            response = HTTPResponse(
                status: .serviceUnavailable, contentType: "text/html",
                body: "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center>"
                    + "<h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n"
            )
        }
        if response.delay == nil, let latency { response.delay = latency }
        return response
    }

    private func json(_ status: HTTPResponseStatus, _ body: [UInt8]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(bytes: body))
    }
}
