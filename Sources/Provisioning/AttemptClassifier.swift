import SessionQueue
import VeriffAPI

/// Turns one answer from Veriff into what happens to the row: the pure decision at the heart of a run.
public struct AttemptClassifier: Sendable {
    /// What the run must do besides writing the row back.
    public enum Signal: Sendable, Equatable {
        case none
        /// A 429: pause every sender for this long (nil: the limiter's default).
        case rateLimited(retryAfter: Duration?)
        /// 401/403/404: stop the run, nothing else will work.
        case fatal(VeriffFailure)
    }

    public var maxAttempts: Int
    public var holdInDoubt: Bool
    public var backoff: Backoff

    public init(maxAttempts: Int, holdInDoubt: Bool, backoff: Backoff) {
        self.maxAttempts = maxAttempts
        self.holdInDoubt = holdInDoubt
        self.backoff = backoff
    }

    /// Decides the row's fate.
    /// - Parameters:
    ///   - attempt: The classified answer.
    ///   - row: The row it was for (its `attempts` count this attempt).
    ///   - startedAt: Seconds since 1970 when the request started (for the attempts log).
    /// - Returns: The write-back and the signal for the run.
    public func classify(
        _ attempt: SessionAttempt, row: ClaimedRow, startedAt: Double, using generator: inout some RandomNumberGenerator
    ) -> (result: RowResult, signal: Signal) {
        var record = AttemptRecord(
            outcome: "", attemptNumber: row.attempts, startedAt: startedAt,
            durationMilliseconds: attempt.duration / .milliseconds(1), httpStatus: attempt.httpStatus)
        let outOfAttempts = row.attempts >= maxAttempts
        func retryOrGiveUp(code: String?, message: String, inDoubt: Bool) -> RowResult {
            if outOfAttempts {
                return RowResult(
                    rowID: row.id,
                    disposition: .failed(code: code, message: "gave up after \(row.attempts) attempts: \(message)"),
                    inDoubt: inDoubt, attempt: record)
            }
            let delay = backoff.delay(attempt: row.attempts, using: &generator)
            return RowResult(
                rowID: row.id, disposition: .retry(after: delay, code: code, message: message), inDoubt: inDoubt,
                attempt: record)
        }

        switch attempt.outcome {
        case .created(let session):
            record.outcome = "created"
            record.sessionID = session.id
            return (RowResult(rowID: row.id, disposition: .provisioned(session), attempt: record), .none)

        case .rejected(let failure):
            record.outcome = "rejected"
            record.veriffCode = failure.code
            record.message = failure.message
            let message =
                "Veriff refused the data (HTTP \(failure.httpStatus)"
                + (failure.code.map { ", code \($0)" } ?? "") + "): \(failure.message)"
            return (
                RowResult(rowID: row.id, disposition: .failed(code: failure.code, message: message), attempt: record),
                .none
            )

        case .rateLimited(let retryAfter):
            record.outcome = "rate_limited"
            record.message = retryAfter.map { "Retry-After \($0)" } ?? "no Retry-After"
            // Not the row's fault: the attempt is given back, and the row waits at least as long as Veriff asked.
            let wait = max(retryAfter ?? .seconds(1), backoff.delay(attempt: 1, using: &generator))
            return (
                RowResult(rowID: row.id, disposition: .rateLimited(after: wait), attempt: record),
                .rateLimited(retryAfter: retryAfter)
            )

        case .transient(let reason):
            record.outcome = "transient"
            record.message = reason
            return (retryOrGiveUp(code: "transient", message: reason, inDoubt: false), .none)

        case .inDoubt(let reason):
            record.outcome = "in_doubt"
            record.message = reason
            let message =
                "\(reason); a session may exist (look for vendorData "
                + "\(row.endUser.vendorData ?? String(row.id)))"
            if holdInDoubt {
                return (
                    RowResult(rowID: row.id, disposition: .held(message: message), inDoubt: true, attempt: record),
                    .none
                )
            }
            return (retryOrGiveUp(code: "in_doubt", message: message, inDoubt: true), .none)

        case .fatal(let failure):
            record.outcome = "fatal"
            record.veriffCode = failure.code
            record.message = failure.message
            // The row is not to blame: it goes back untouched, its attempt refunded.
            return (RowResult(rowID: row.id, disposition: .released, attempt: record), .fatal(failure))
        }
    }
}
