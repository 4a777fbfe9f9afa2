import Foundation
import Logging
import RateLimiting
import SessionQueue
import VeriffAPI

extension ProvisioningRun {
    /// Starts a sender for every row the dispatcher hands over; when the dispatcher is done, waits for in-flight
    /// requests (cancelling them after `stopGracePeriod`), then ends the writer's input.
    ///
    /// A discarding task group: finished senders are freed at once (a plain group keeps every child until `next()`,
    /// which grew memory by kilobytes per session).
    func launch(_ launches: AsyncStream<ClaimedRow>, context: Context) async {
        await withDiscardingTaskGroup { senders in
            for await row in launches {
                senders.addTask { await self.send(row, context: context) }
            }
            // Normally nothing is in flight here (the dispatcher waits for answers before it ends); after a stop,
            // in-flight requests get the grace period.
            let deadline = ContinuousClock.now + configuration.stopGracePeriod
            while context.state.update({ $0.inFlight }) > 0 {
                guard ContinuousClock.now < deadline else {
                    logger.warning("in-flight requests did not finish within the grace period; abandoning them")
                    senders.cancelAll()
                    break
                }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        context.resultSink.finish()
    }

    /// Posts one row, classifies the answer, feeds the limiter and the breaker, and hands the result to the writer.
    func send(_ row: ClaimedRow, context: Context) async {
        let request = row.endUser.sessionRequest(defaultCallback: configuration.defaultCallback)
        let startedAt = Date().timeIntervalSince1970
        let attempt = await sender.createSession(request)
        let classifier = AttemptClassifier(
            maxAttempts: configuration.maxAttempts, holdInDoubt: configuration.holdInDoubt,
            backoff: configuration.backoff)
        let (result, signal, breakerOpen, breakerSummary) = context.state.update { state in
            state.concurrency.observe(attempt.duration)
            let (result, signal) = classifier.classify(attempt, row: row, startedAt: startedAt, using: &state.generator)
            state.counts.record(result.disposition)
            var breakerOpen = false
            switch attempt.outcome {
            case .created, .rejected: breakerOpen = state.breaker.record(failed: false)
            case .transient, .inDoubt: breakerOpen = state.breaker.record(failed: true)
            case .rateLimited: state.counts.rateLimited += 1
            case .fatal: break
            }
            if case .inDoubt = attempt.outcome { state.counts.inDoubt += 1 }
            return (result, signal, breakerOpen, state.breaker.summary)
        }
        switch signal {
        case .rateLimited(let retryAfter): await limiter.reportRateLimited(retryAfter: retryAfter)
        case .fatal(let failure):
            logger.error("Veriff refused the request for the whole run", metadata: ["error": "\(failure.message)"])
            control.requestStop(.fatal(failure))
        case .none:
            if case .created = attempt.outcome {
                await limiter.reportCreated()
            } else {
                await limiter.reportSuccess()
            }
        }
        if breakerOpen { control.requestStop(.veriffUnavailable(breakerSummary)) }
        yield(result, context: context)
        context.state.releaseSendSlot()
    }
}

extension RunCounts {
    /// Counts one write-back.
    mutating func record(_ disposition: RowResult.Disposition) {
        switch disposition {
        case .provisioned: provisioned += 1
        case .failed: failed += 1
        case .invalid: invalid += 1
        case .retry, .rateLimited: retried += 1
        case .held: held += 1
        case .released: released += 1
        }
    }
}
