import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Creates Veriff verification sessions with POST /v1/sessions and classifies every answer.
///
/// The client never throws: each call ends in a ``SessionAttempt`` whose ``SessionOutcome`` says what the caller
/// may do next. The API key and session tokens never reach a log line, an error or a description.
public struct VeriffClient: Sendable {
    public let configuration: VeriffConfiguration
    private let httpClient: HTTPClient
    private let logger: Logger
    /// Why the base URL may not be used (e.g. `http://` to a non-loopback host); every attempt is then fatal.
    private let baseURLProblem: String?

    /// - Parameters:
    ///   - configuration: Where and how to talk to Veriff.
    ///   - httpClient: A client the caller owns and shuts down; see
    ///     ``httpClientConfiguration(maximumConnections:connectTimeout:idleTimeout:)``.
    ///   - logger: Receives one debug line per attempt (never a secret).
    public init(configuration: VeriffConfiguration, httpClient: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        do {
            try VeriffConfiguration.validateBaseURL(configuration.baseURL, name: "the base URL")
            self.baseURLProblem = nil
        } catch {
            self.baseURLProblem = "\(error)"
        }
    }

    /// Thrown inside the collector when an answer is larger than ``VeriffConfiguration/maximumResponseBodySize``.
    struct BodyTooLarge: Error {}

    /// Creates one session.
    ///
    /// - Parameter request: The body to send, already validated with ``EndUser/violations()``.
    /// - Returns: The classified outcome, the HTTP status if an answer came, and how long it took.
    public func createSession(_ request: SessionRequest) async -> SessionAttempt {
        let clock = ContinuousClock()
        let start = clock.now
        let (outcome, status) = await send(request)
        let attempt = SessionAttempt(outcome: outcome, httpStatus: status, duration: clock.now - start)
        log(attempt, vendorData: request.verification.vendorData)
        return attempt
    }

    private func send(_ request: SessionRequest) async -> (SessionOutcome, Int?) {
        if let baseURLProblem {
            // Certificates are always verified; plain http is only for a stand-in on loopback.
            return (.fatal(VeriffFailure(httpStatus: 0, code: nil, message: baseURLProblem)), nil)
        }
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            let failure = VeriffFailure(httpStatus: 0, code: nil, message: "the request could not be encoded: \(error)")
            return (.rejected(failure), nil)
        }
        let httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(
                url: configuration.sessionsURL, method: .POST, headers: headers(), body: .bytes(body)
            )
        } catch {
            let failure = VeriffFailure(
                httpStatus: 0, code: nil, message: "bad base URL \(configuration.baseURL): \(error)"
            )
            return (.fatal(failure), nil)
        }
        let collector = ResponseCollector(maximumBodySize: configuration.maximumResponseBodySize)
        let deadline = NIODeadline.now() + TimeAmount(configuration.requestTimeout)
        let task = httpClient.execute(request: httpRequest, delegate: collector, deadline: deadline, logger: logger)
        do {
            let answer = try await withTaskCancellationHandler {
                try await task.get()
            } onCancel: {
                task.cancel()
            }
            return (classify(answer), answer.status)
        } catch {
            return classify(error: error, progress: collector.progress)
        }
    }

    /// The headers Veriff documents: content type, key, integration id (only when configured), user agent.
    func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "X-AUTH-CLIENT", value: configuration.apiKey.secret)
        if let integrationID = configuration.integrationID, !integrationID.isEmpty {
            headers.add(name: "vrf-integration-id", value: integrationID)
        }
        headers.add(name: "User-Agent", value: configuration.userAgent)
        return headers
    }

    private func log(_ attempt: SessionAttempt, vendorData: String?) {
        var metadata: Logger.Metadata = [
            "veriff.outcome": "\(attempt.outcome.kind)",
            "veriff.duration_ms": .stringConvertible(attempt.duration / .milliseconds(1)),
        ]
        if let status = attempt.httpStatus { metadata["http.status"] = "\(status)" }
        if let vendorData { metadata["veriff.vendor_data"] = "\(vendorData)" }
        switch attempt.outcome {
        case .created(let session):
            metadata["veriff.session_id"] = "\(session.id)"
            logger.debug("Veriff session created", metadata: metadata)
        case .fatal(let failure):
            logger.warning("Veriff refused the configuration: \(failure)", metadata: metadata)
        default:
            logger.debug("Veriff session not created: \(attempt.outcome)", metadata: metadata)
        }
    }
}

extension SessionOutcome {
    /// One word per case, for metrics and log metadata.
    public var kind: String {
        switch self {
        case .created: "created"
        case .rejected: "rejected"
        case .rateLimited: "rate_limited"
        case .transient: "transient"
        case .fatal: "fatal"
        case .inDoubt: "in_doubt"
        }
    }
}
