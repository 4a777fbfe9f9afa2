import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension VeriffClient {
    /// Classifies a complete answer by status, then by body.
    func classify(_ answer: ResponseCollector.Answer) -> SessionOutcome {
        let key = configuration.apiKey.secret
        let status = answer.status
        switch status {
        case 200...299:
            return createdSession(from: answer.body).map(SessionOutcome.created)
                ?? .inDoubt("HTTP \(status) with a body that is not a session (\(answer.body.readableBytes) bytes)")
        case 429:
            let retryAfter = answer.headers.first(name: "Retry-After").flatMap {
                RetryAfter.parse($0, maximum: configuration.maximumRetryAfter)
            }
            return .rateLimited(retryAfter: retryAfter)
        case 408:
            return .transient("HTTP 408: Veriff timed out reading the request")
        case 401:
            var failure = failure(from: answer)
            let hint =
                failure.code == "1803" || failure.code == "1804"
                ? "check the API key and VERIFF_INTEGRATION_ID: they do not name an active integration"
                : "check the API key (VERIFF_API_KEY or --api-key-file)"
            failure.message += " — \(hint)"
            return .fatal(failure.redacting(key))
        case 403:
            var failure = failure(from: answer)
            failure.message += " — the key is not allowed here: check VERIFF_INTEGRATION_ID and the API key"
            return .fatal(failure.redacting(key))
        case 404:
            var failure = failure(from: answer)
            failure.message += " — \(configuration.sessionsURL) does not exist: check VERIFF_BASE_URL / --base-url"
            return .fatal(failure.redacting(key))
        case 300...399:
            let location = answer.headers.first(name: "Location") ?? "nowhere"
            let failure = VeriffFailure(
                httpStatus: status, code: nil,
                message: "redirected to \(location) — check VERIFF_BASE_URL / --base-url"
            )
            return .fatal(failure.redacting(key))
        case 400...499:
            return .rejected(failure(from: answer).redacting(key))
        case 500...599:
            return .transient(summary(of: answer).redacting(key))
        default:
            return .inDoubt("unexpected HTTP status \(status)")
        }
    }

    /// Classifies a failed exchange: before the request was sent it is transient, after it in doubt.
    func classify(error: any Error, progress: ResponseCollector.Progress) -> (SessionOutcome, Int?) {
        let key = configuration.apiKey.secret
        let reason = describe(error).redacting(key)
        if let head = progress.head {
            let status = Int(head.status.code)
            let partial = ResponseCollector.Answer(status: status, headers: head.headers, body: progress.body)
            if error is BodyTooLarge {
                return (
                    (200...299).contains(status)
                        ? .inDoubt("HTTP \(status) with an oversized body") : classify(partial), status
                )
            }
            // The status line came but the body was cut off.
            if (200...299).contains(status) {
                return (.inDoubt("HTTP \(status) but the answer was cut off: \(reason)"), status)
            }
            return (classify(partial), status)
        }
        if progress.requestSent {
            return (.inDoubt("no answer after the request was sent: \(reason)"), nil)
        }
        return (.transient("the request was not sent: \(reason)"), nil)
    }

    private func createdSession(from body: ByteBuffer) -> CreatedSession? {
        guard let response = try? JSONDecoder().decode(SessionResponse.self, from: Data(body.readableBytesView)),
            !response.verification.id.isEmpty, !response.verification.url.isEmpty
        else { return nil }
        return response.verification
    }

    private func failure(from answer: ResponseCollector.Answer) -> VeriffFailure {
        let parsed = try? JSONDecoder().decode(VeriffErrorBody.self, from: Data(answer.body.readableBytesView))
        let message = parsed?.message ?? HTTPResponseStatus(statusCode: answer.status).reasonPhrase
        return VeriffFailure(httpStatus: answer.status, code: parsed?.code, message: message)
    }

    /// `HTTP 503: <Veriff's message>` or `HTTP 503 with a text/html body (1234 bytes)`.
    private func summary(of answer: ResponseCollector.Answer) -> String {
        if let parsed = try? JSONDecoder().decode(VeriffErrorBody.self, from: Data(answer.body.readableBytesView)),
            parsed.code != nil || parsed.message != nil
        {
            return "HTTP \(answer.status)" + (parsed.code.map { " code \($0)" } ?? "") + ": \(parsed.message ?? "")"
        }
        let type = answer.headers.first(name: "Content-Type") ?? "untyped"
        return "HTTP \(answer.status) with a \(type) body (\(answer.body.readableBytes) bytes)"
    }

    private func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded:
            "no answer within \(configuration.requestTimeout)"
        case let error as HTTPClientError where error == .cancelled:
            "cancelled"
        default:
            "\(error)"
        }
    }
}

extension VeriffFailure {
    fileprivate func redacting(_ secret: String) -> VeriffFailure {
        var copy = self
        copy.message = message.redacting(secret)
        copy.code = code?.redacting(secret)
        return copy
    }
}
