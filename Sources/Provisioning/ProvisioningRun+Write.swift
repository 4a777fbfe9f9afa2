import Foundation
import Logging
import RateLimiting
import SessionQueue

extension ProvisioningRun {
    /// Writes results back in batches (every `flushBatch` results or `flushInterval`), renews leases and the run's
    /// heartbeat, until its input ends.
    func write(_ inputs: AsyncStream<WriterInput>, context: Context) async {
        var pending: [RowResult] = []
        var lastFlush = ContinuousClock.now
        var lastRenewal = ContinuousClock.now
        let renewEvery = configuration.lease / 3

        func flush() async {
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            lastFlush = ContinuousClock.now
            if !batch.isEmpty {
                let written = await stoppingOnFailure {
                    try await context.queue.record(batch, runID: context.runID)
                }
                if written == nil {
                    // The rows stay `claimed` in the database; the next run rescues them as in doubt.
                    logger.error("could not write results back", metadata: ["rows": .stringConvertible(batch.count)])
                }
                context.state.update { $0.unflushed -= batch.count }
            }
            if ContinuousClock.now - lastRenewal >= renewEvery {
                lastRenewal = ContinuousClock.now
                let counts = context.state.counts
                _ = await stoppingOnFailure {
                    try await context.queue.renewLeases(lease: configuration.lease)
                    try await context.runLog.heartbeat(runID: context.runID, counts: counts)
                }
            }
        }

        for await input in inputs {
            if case .result(let result) = input { pending.append(result) }
            if pending.count >= configuration.flushBatch
                || ContinuousClock.now - lastFlush >= configuration.flushInterval
            {
                await flush()
            }
        }
        await flush()
    }

    /// Wakes the writer every flush interval, and reports progress every progress interval, until cancelled.
    func tick(_ sink: AsyncStream<WriterInput>.Continuation, context: Context) async {
        var lastReport = ContinuousClock.now
        var lastSent = 0
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.flushInterval) } catch { return }
            sink.yield(.tick)
            guard let onProgress, ContinuousClock.now - lastReport >= progressInterval else { continue }
            let elapsed = ContinuousClock.now - lastReport
            lastReport = ContinuousClock.now
            let rate = await limiter.currentRatePerMinute
            let snapshot = context.state.update { state -> RunProgress in
                let done = state.counts.provisioned + state.counts.failed + state.counts.invalid + state.counts.held
                // Rescued rows are pending again, so already among the due rows `total` counts.
                let total = max(context.total, done)
                let sentPerMinute = Double(state.sent - lastSent) / (elapsed / .seconds(1)) * 60
                lastSent = state.sent
                let left = Double(total - done)
                return RunProgress(
                    done: done, total: total, sent: state.sent, inFlight: state.inFlight, counts: state.counts,
                    sentPerMinute: sentPerMinute, ratePerMinute: rate,
                    etaSeconds: rate > 0 && rate.isFinite ? left / rate * 60 : nil,
                    elapsedSeconds: (ContinuousClock.now - context.started) / .seconds(1))
            }
            onProgress(snapshot)
        }
    }
}
