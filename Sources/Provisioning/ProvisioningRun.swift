import Foundation
import Logging
import Postgres
import RateLimiting
import SessionQueue
import VeriffAPI

#if canImport(Glibc)
    import Glibc
#endif

/// One `provisioner run`: drains due rows of `session_queue` through the limiter into POST /v1/sessions and writes
/// every outcome back.
///
/// Shape: a dispatcher claims rows (a few seconds of work ahead), validates them, waits for an in-flight slot and a
/// limiter slot, and hands each to a sender; senders post and classify; one writer batches results back to
/// PostgreSQL. A stop (signal, deadline, fatal answer, open breaker) cancels only the dispatcher: in-flight requests
/// get `stopGracePeriod` to finish, everything is written back, and unsent claims are released.
public struct ProvisioningRun: Sendable {
    let pool: PostgresConnectionPool
    let sender: any SessionSender
    let limiter: any SendRateLimiter
    let configuration: RunConfiguration
    let control: RunControl
    let logger: Logger
    let progressInterval: Duration
    let onProgress: (@Sendable (RunProgress) -> Void)?

    /// - Parameters:
    ///   - pool: The queue's database (the run leases at most three connections: claims, write-back, limiter).
    ///   - sender: Who creates sessions (the `VeriffClient`).
    ///   - limiter: The cap (shared through PostgreSQL in production).
    ///   - configuration: Limits, attempts, timings.
    ///   - control: How a signal handler stops the run.
    ///   - progressInterval: How often `onProgress` is called.
    ///   - onProgress: Receives snapshots while the run works.
    public init(
        pool: PostgresConnectionPool, sender: any SessionSender, limiter: any SendRateLimiter,
        configuration: RunConfiguration,
        control: RunControl = RunControl(), logger: Logger, progressInterval: Duration = .seconds(10),
        onProgress: (@Sendable (RunProgress) -> Void)? = nil
    ) {
        self.pool = pool
        self.sender = sender
        self.limiter = limiter
        self.configuration = configuration
        self.control = control
        self.logger = logger
        self.progressInterval = progressInterval
        self.onProgress = onProgress
    }

    /// Runs until the queue has nothing due (within the retry horizon), the limit or deadline is reached, or a stop.
    /// - Returns: The summary; its outcome says how the run ended.
    /// - Throws: ``PostgresError`` when the database cannot be reached at the start (nothing was changed).
    public func run() async throws -> RunSummary {
        let started = ContinuousClock.now
        let queue = QueueStore(pool: pool, runnerID: configuration.runnerID)
        let runLog = RunLog(pool: pool)
        // The first statement is not retried: a database that is down at the start ends the run at once, nothing
        // changed. Later statements ride out a restart (the queue's and the log's reconnect policy).
        let runID = try await RunLog(pool: pool, reconnect: nil).start(
            runnerID: configuration.runnerID, host: configuration.host, pid: configuration.pid,
            capPerMinute: await limiter.currentRatePerMinute)
        try await queue.expireLeasesOfDeadLocalRunners(host: configuration.host) { pid in
            kill(pid_t(pid), 0) == 0 || errno == EPERM
        }
        let rescued = try await queue.rescueExpiredLeases(hold: configuration.holdInDoubt, runID: runID)
        if rescued > 0 {
            logger.warning(
                "rescued rows whose runner stopped without recording an answer; they are marked in doubt",
                metadata: ["rows.rescued": .stringConvertible(rescued)])
        }
        // What progress counts towards: the due rows (rescued ones included), at most --limit.
        let due = try await queue.dueCount()
        let total = min(due, configuration.limit ?? Int.max)
        let state = RunState(
            concurrency: ConcurrencyTarget(maximum: configuration.maxConcurrency), breaker: configuration.circuitBreaker
        )
        state.update { $0.counts.rescued = rescued }
        logger.info(
            "run started",
            metadata: [
                "run.id": .stringConvertible(runID), "rows.due": .stringConvertible(due),
                "rows.total": .stringConvertible(total), "runner.id": "\(configuration.runnerID)",
            ])

        let (results, resultSink) = AsyncStream<WriterInput>.makeStream()
        let (launches, launchSink) = AsyncStream<ClaimedRow>.makeStream()
        let context = Context(
            queue: queue, runLog: runLog, runID: runID, state: state, resultSink: resultSink,
            started: started, total: total)

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.launch(launches, context: context) }
            group.addTask {
                // The dispatcher races the stop request: a stop cancels it (and only it).
                await withTaskGroup(of: Void.self) { race in
                    race.addTask { await self.dispatch(context: context, launchSink: launchSink) }
                    race.addTask { await self.control.waitForStop() }
                    await race.next()
                    race.cancelAll()
                }
            }
            group.addTask { await self.tick(resultSink, context: context) }
            // The writer runs here and ends last: its input ends only after the launcher's senders are all done.
            await self.write(results, context: context)
            group.cancelAll()  // only the ticker is left
        }

        let counts = state.counts
        let outcome = Self.outcome(for: control.stopReason, counts: counts)
        let message = Self.message(for: control.stopReason)
        let pendingLeft = try? await queue.pendingCount()
        do {
            try await runLog.finish(runID: runID, outcome: outcome, counts: counts, message: message)
        } catch {
            logger.error("could not record the end of the run", metadata: ["error": "\(error)"])
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let summary = RunSummary(
            runID: runID, outcome: outcome, counts: counts, seconds: seconds,
            sentPerMinute: state.achievedPerMinute,
            ratePerMinute: await limiter.currentRatePerMinute, pendingLeft: pendingLeft, message: message,
            learnedCap: await limiter.learnedCap)
        logger.info("run finished", metadata: summary.logMetadata)
        return summary
    }

    static func outcome(for reason: StopReason?, counts: RunCounts) -> RunLog.Outcome {
        switch reason {
        case nil, .deadline?: counts.failed + counts.invalid > 0 ? .rowsFailed : .completed
        case .signal?: .interrupted
        case .fatal?: .fatalAPIAnswer
        case .veriffUnavailable?: .veriffUnavailable
        case .databaseUnavailable?: .databaseUnavailable
        }
    }

    static func message(for reason: StopReason?) -> String? {
        switch reason {
        case nil: nil
        case .signal?: "stopped by a signal; in-flight requests were finished and unsent rows released"
        case .deadline?: "--max-duration reached; the rest stays pending for the next run"
        case .fatal(let failure)?: failure.message
        case .veriffUnavailable(let summary)?:
            "Veriff looks unavailable (\(summary)); stopped early, rows stay pending for the next run"
        case .databaseUnavailable(let detail)?: "the database became unavailable: \(detail)"
        }
    }
}

/// What the writer consumes: results, and ticks that make it flush promptly when results trickle in.
enum WriterInput: Sendable {
    case result(RowResult)
    case tick
}

/// Everything the parts of one run share.
struct Context: Sendable {
    let queue: QueueStore
    let runLog: RunLog
    let runID: Int64
    let state: RunState
    let resultSink: AsyncStream<WriterInput>.Continuation
    let started: ContinuousClock.Instant
    let total: Int
}
