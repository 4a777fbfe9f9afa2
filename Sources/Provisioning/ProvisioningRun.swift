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
    let conninfo: String
    let sender: any SessionSender
    let limiter: any SendRateLimiter
    let configuration: RunConfiguration
    let control: RunControl
    let logger: Logger
    let progressInterval: Duration
    let onProgress: (@Sendable (RunProgress) -> Void)?

    /// - Parameters:
    ///   - conninfo: The database (libpq connection string; "" for the PG* environment).
    ///   - sender: Who creates sessions (the `VeriffClient`).
    ///   - limiter: The cap (shared through PostgreSQL in production).
    ///   - configuration: Limits, attempts, timings.
    ///   - control: How a signal handler stops the run.
    ///   - progressInterval: How often `onProgress` is called.
    ///   - onProgress: Receives snapshots while the run works.
    public init(
        conninfo: String, sender: any SessionSender, limiter: any SendRateLimiter, configuration: RunConfiguration,
        control: RunControl = RunControl(), logger: Logger, progressInterval: Duration = .seconds(10),
        onProgress: (@Sendable (RunProgress) -> Void)? = nil
    ) {
        self.conninfo = conninfo
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
        let claimConnection = try await PostgresConnection.connect(conninfo, logger: logger)
        let writeConnection: PostgresConnection
        do {
            writeConnection = try await PostgresConnection.connect(conninfo, logger: logger)
        } catch {
            await claimConnection.close()
            throw error
        }
        do {
            let summary = try await run(
                claimConnection: claimConnection, writeConnection: writeConnection, started: started)
            await claimConnection.close()
            await writeConnection.close()
            return summary
        } catch {
            await claimConnection.close()
            await writeConnection.close()
            throw error
        }
    }

    private func run(
        claimConnection: PostgresConnection, writeConnection: PostgresConnection, started: ContinuousClock.Instant
    ) async throws -> RunSummary {
        let claims = QueueStore(connection: claimConnection, runnerID: configuration.runnerID)
        let writes = QueueStore(connection: writeConnection, runnerID: configuration.runnerID)
        let runLog = RunLog(connection: writeConnection)
        let runID = try await runLog.start(
            runnerID: configuration.runnerID, host: configuration.host, pid: configuration.pid,
            capPerMinute: await limiter.currentRatePerMinute)
        try await claims.expireLeasesOfDeadLocalRunners(host: configuration.host) { pid in
            kill(pid_t(pid), 0) == 0 || errno == EPERM
        }
        let rescued = try await claims.rescueExpiredLeases(hold: configuration.holdInDoubt, runID: runID)
        if rescued > 0 {
            logger.warning(
                "rescued rows whose runner stopped without recording an answer; they are marked in doubt",
                metadata: ["rows.rescued": "\(rescued)"])
        }
        let total = try await claims.dueCount()
        let state = RunState(
            concurrency: ConcurrencyTarget(maximum: configuration.maxConcurrency), breaker: configuration.circuitBreaker
        )
        state.update { $0.counts.rescued = rescued }
        logger.info(
            "run started",
            metadata: ["run.id": "\(runID)", "rows.due": "\(total)", "runner.id": "\(configuration.runnerID)"])

        let (results, resultSink) = AsyncStream<WriterInput>.makeStream()
        let (launches, launchSink) = AsyncStream<ClaimedRow>.makeStream()
        let context = Context(
            claims: claims, writes: writes, runLog: runLog, runID: runID, state: state, resultSink: resultSink,
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
        let pendingLeft = try? await claims.connection.query(
            "SELECT count(*) AS n FROM session_queue WHERE status = 'pending'"
        ).first?.decode("n", as: Int.self)
        do {
            try await runLog.finish(runID: runID, outcome: outcome, counts: counts, message: message)
        } catch {
            logger.error("could not record the end of the run", metadata: ["error": "\(error)"])
        }
        let seconds = (ContinuousClock.now - started).secondsValue
        return RunSummary(
            runID: runID, outcome: outcome, counts: counts, seconds: seconds,
            sentPerMinute: state.achievedPerMinute,
            ratePerMinute: await limiter.currentRatePerMinute, pendingLeft: pendingLeft, message: message,
            learnedCap: await limiter.learnedCap)
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
    let claims: QueueStore
    let writes: QueueStore
    let runLog: RunLog
    let runID: Int64
    let state: RunState
    let resultSink: AsyncStream<WriterInput>.Continuation
    let started: ContinuousClock.Instant
    let total: Int
}
