import Foundation
import Logging
import Postgres
import RateLimiting
import SessionQueue
import VeriffAPI

extension ProvisioningRun {
    /// Claims rows a little ahead, validates them, and hands each to a sender once it has an in-flight slot and a
    /// limiter slot. Returns when nothing more is due, at the limit or deadline, or when cancelled (a stop); rows it
    /// claimed but did not send are released.
    func dispatch(context: Context, launchSink: AsyncStream<ClaimedRow>.Continuation) async {
        var buffer: [ClaimedRow] = []
        var next = 0
        var claimedTotal = 0
        let sendDeadline = configuration.maxDuration.map {
            context.started
                + RunConfiguration.sendingTime(maxDuration: $0, stopGracePeriod: configuration.stopGracePeriod)
        }
        defer { launchSink.finish() }

        while !Task.isCancelled && !control.isStopping {
            if let sendDeadline, ContinuousClock.now >= sendDeadline {
                control.requestStop(.deadline)
                break
            }
            let ratePerMinute = await limiter.currentRatePerMinute
            let remaining = configuration.limit.map { max(0, $0 - claimedTotal) } ?? Int.max
            let target = claimTarget(ratePerMinute: ratePerMinute)
            if buffer.count - next <= target / 2, remaining > 0 {
                let want = min(target - (buffer.count - next), remaining)
                guard
                    let rows = await stoppingOnFailure({
                        try await context.queue.claim(limit: want, lease: configuration.lease)
                    })
                else { break }
                buffer.removeFirst(next)
                next = 0
                buffer += rows
                claimedTotal += rows.count
                context.state.update { $0.counts.claimed += rows.count }
            }
            guard next < buffer.count else {
                // Nothing to send now: wait for in-flight answers, or for a retry that falls due soon.
                let (inFlight, unflushed) = context.state.update { ($0.inFlight, $0.unflushed) }
                if inFlight > 0 || unflushed > 0 {
                    try? await Task.sleep(for: .milliseconds(20))
                    continue
                }
                guard remaining > 0,
                    let dueIn = await stoppingOnFailure({ try await context.queue.nextDueIn() }),
                    let dueIn, dueIn <= configuration.retryHorizon,
                    sendDeadline.map({ ContinuousClock.now + dueIn < $0 }) ?? true
                else { break }
                try? await Task.sleep(for: max(.milliseconds(10), min(dueIn, .seconds(1))))
                continue
            }
            let row = buffer[next]
            next += 1
            var endUser = row.endUser.normalized()
            let violations = endUser.violations()
            guard violations.isEmpty else {
                context.state.update { $0.counts.invalid += 1 }
                yield(
                    RowResult(
                        rowID: row.id, disposition: .invalid(reason: violations.summary),
                        attempt: AttemptRecord(
                            outcome: "invalid", attemptNumber: row.attempts,
                            startedAt: Date().timeIntervalSince1970, message: violations.summary)),
                    context: context)
                continue
            }
            if endUser.vendorData == nil { endUser.vendorData = String(row.id) }  // traceable at Veriff
            // Backpressure: when the writer falls behind, answers pile up in memory; wait for it to catch up.
            while context.state.update({ $0.unflushed }) > configuration.flushBatch * 4, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(5))
            }
            let limit = context.state.update { $0.concurrency.limit(ratePerMinute: ratePerMinute) }
            do {
                try await context.state.acquireSendSlot(limit: limit)
            } catch {
                next -= 1
                break
            }
            guard await acquireLimiterSlot() else {
                context.state.releaseSendSlot()
                next -= 1
                break
            }
            var sending = row
            sending.endUser = endUser
            context.state.recordSend()
            launchSink.yield(sending)
        }

        let unsent = buffer[next...].map(\.id)
        if !unsent.isEmpty {
            context.state.update { $0.counts.released += unsent.count }
            _ = await stoppingOnFailure { try await context.queue.release(unsent) }
        }
    }

    /// Waits for a limiter slot. The shared limiter's statements ride out a database restart (the pool's reconnect
    /// policy); when they still fail, the run stops (database unavailable).
    /// - Returns: false when cancelled (a stop) or when the limiter failed.
    func acquireLimiterSlot() async -> Bool {
        do {
            try await limiter.acquire()
            return true
        } catch is CancellationError {
            return false
        } catch {
            if !Task.isCancelled {
                logger.error("the rate limiter failed", metadata: ["error": "\(error)"])
                control.requestStop(.databaseUnavailable("the shared rate limiter failed: \(error)"))
            }
            return false
        }
    }

    /// Rows to hold claimed: `claimAhead` of sending at the current rate, at least one, at most `maxClaimBuffer`.
    func claimTarget(ratePerMinute: Double) -> Int {
        let ahead = ratePerMinute / 60 * (configuration.claimAhead / .seconds(1))
        guard ahead.isFinite else { return configuration.maxClaimBuffer }
        return min(configuration.maxClaimBuffer, max(1, Int(ahead.rounded(.up))))
    }

    func yield(_ result: RowResult, context: Context) {
        context.state.update { $0.unflushed += 1 }
        context.resultSink.yield(.result(result))
    }

    /// Runs a queue operation (already retried by the queue's reconnect policy). When it still fails, asks the run
    /// to stop (database unavailable) and returns nil.
    func stoppingOnFailure<T>(_ operation: () async throws -> T) async -> T? {
        do {
            return try await operation()
        } catch {
            logger.error("database operation failed", metadata: ["error": "\(error)"])
            control.requestStop(.databaseUnavailable("\(error)"))
            return nil
        }
    }
}
