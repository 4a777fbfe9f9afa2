import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Postgres
import Provisioning
import RateLimiting
import SessionQueue
import Support
import VeriffAPI

/// `provisioner run`: the main job. Creates a Veriff session for every due row of the queue, within the cap.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create a Veriff session for every due row of the queue, within the integration's cap.",
        discussion: """
            Claims due rows of the queue (several runners may share one queue and one cap), validates them, sends \
            POST /v1/sessions through the rate limiter, retries what can be retried with backoff, and writes each \
            session's id, url, token and host back. SIGINT/SIGTERM stops gracefully (a second one at once).

            Exit status: 0 done; 1 some rows failed or were invalid; 64 bad usage or configuration; 69 Veriff \
            unavailable (circuit breaker); 75 database unavailable; 77 Veriff refused the key, integration or URL \
            (nothing changed); 130 stopped by a signal.
            """
    )

    @OptionGroup var veriff: VeriffOptions
    @OptionGroup var limiterOptions: LimiterOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("Claim at most this many rows in this run (1 to 100,000,000).", valueName: "rows"))
    var limit: Int?

    @Option(
        name: .customLong("max-duration"),
        help: ArgumentHelp(
            "Stop sending in time to end within this duration, e.g. 6h, 90m, 45s (at most 3660d; in-flight requests "
                + "get the request timeout to finish)."))
    var maxDuration: DurationArgument?

    @Flag(
        name: .customLong("dry-run"),
        help: ArgumentHelp(
            "Validate the due rows and print the plan (with --limit and --max-duration: what would be sent, when it "
                + "would finish, how many rows would be left); send and change nothing."))
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "The most requests in flight at once, 1 to 10,000 (the actual number adapts to rate × latency).",
            valueName: "n"))
    var concurrency: Int = 64

    @Option(
        name: .customLong("max-attempts"),
        help: ArgumentHelp("Attempts per row before it is marked failed, 1 to 1,000.", valueName: "n"))
    var maxAttempts: Int = 8

    @Flag(
        name: .customLong("hold-in-doubt"),
        help: "Hold rows whose request may have created a session (status held) instead of re-sending them.")
    var holdInDoubt = false

    @Flag(
        name: .customLong("renew-expired"),
        help: "First put rows whose session expired without a final decision back in the queue for a new session.")
    var renewExpired = false

    @Flag(help: "Print the final summary (or the dry run's plan) as JSON on standard output.")
    var json = false

    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp(
            "Write Prometheus metrics here at every progress tick and at the end (node_exporter textfile collector; "
                + "replaced atomically).", valueName: "path"))
    var metricsFile: String?

    @Option(
        name: .customLong("progress-interval"),
        help: ArgumentHelp(
            "How often progress is shown, logged and written to --metrics-file: 100ms to 1h (default 1s on a "
                + "terminal, 10s otherwise).", valueName: "duration"))
    var progressInterval: DurationArgument?

    @Option(
        name: .customLong("lease"),
        help: ArgumentHelp(
            "Seconds a claim holds if this runner dies (renewed while it runs), 1 to 86,400.", visibility: .hidden))
    var leaseSeconds: Double = 300

    @Option(
        name: .customLong("limiter"),
        help: ArgumentHelp(
            "shared: one budget for every runner on this database (default); local: this process only.",
            visibility: .hidden))
    var limiterMode: LimiterMode = .shared

    func validate() throws {
        if let limit, !(1...100_000_000).contains(limit) {
            throw ValidationError("--limit must be between 1 and 100000000, got \(limit)")
        }
        guard (1...10_000).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 10000, got \(concurrency)")
        }
        guard (1...1000).contains(maxAttempts) else {
            throw ValidationError("--max-attempts must be between 1 and 1000, got \(maxAttempts)")
        }
        guard leaseSeconds.isFinite, (1...86_400).contains(leaseSeconds) else {
            throw ValidationError("--lease must be between 1 and 86400 seconds, got \(leaseSeconds)")
        }
        if let progressInterval,
            !(Duration.milliseconds(100)...Duration.seconds(3600)).contains(progressInterval.duration)
        {
            throw ValidationError(
                "--progress-interval must be between 100ms and 1h, got \(DurationText.describe(progressInterval.duration))"
            )
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.run")
        let limits: RateLimitConfiguration
        do {
            limits = try limiterOptions.configuration()
        } catch {
            throw ValidationError("\(error)")
        }
        if dryRun {
            let grace = Duration.milliseconds(Int64((veriff.timeout * 1000).rounded())) + .seconds(1)
            // The shared limiter's learned cap needs the integration's key; a dry run without credentials plans at
            // the configured rate.
            let key = (try? veriff.configuration(environment: ProcessInfo.processInfo.environment))?.limiterKey
            let plan = try await database.withConnection(logger: logger) { connection in
                var learned: LearnedCap?
                if limiterMode == .shared, let key { learned = try await LearnedCap.read(connection, key: key).first }
                return try await DryRunPlan.make(
                    connection, ratePerMinute: limits.targetPerMinute, learnedCap: learned, limit: limit,
                    maxDuration: maxDuration?.duration, stopGracePeriod: grace)
            }
            print(json ? try JSONOutput.text(plan) : plan.text)
            return
        }
        let veriffConfiguration = try veriff.configuration(environment: ProcessInfo.processInfo.environment)
        let configuration = runConfiguration(veriff: veriffConfiguration)
        let summary = try await database.withPool(logger: logger, maximum: 4) { pool in
            if renewExpired { try await renewExpiredSessions(pool: pool, logger: logger) }
            return try await HTTPClient.withHTTPClient(
                configuration: VeriffClient.httpClientConfiguration(maximumConnections: concurrency)
            ) { httpClient in
                let progress = ProgressPrinter(
                    logger: logger, metricsFile: metricsFile, requestedInterval: progressInterval?.duration)
                let control = RunControl()
                let client = VeriffClient(configuration: veriffConfiguration, httpClient: httpClient, logger: logger)
                let run = ProvisioningRun(
                    pool: pool, sender: client,
                    limiter: limiter(limits, key: veriffConfiguration.limiterKey, pool: pool, logger: logger),
                    configuration: configuration, control: control, logger: logger,
                    progressInterval: progress.interval, onProgress: progress.report)
                let service = RunService(run, control: control)
                try await ServiceRunner.run(
                    service,
                    firstSignalMessage:
                        "provisioner: stopping (finishing in-flight requests; signal again to stop at once)",
                    logger: logger)
                return try service.summary()
            }
        }
        let exitCode = ExitStatus.forOutcome(summary.outcome)
        if let metricsFile {
            do {
                try MetricsFile.write(summary, exitCode: exitCode.rawValue, to: metricsFile)
            } catch {
                logger.error(
                    "could not write the metrics file", metadata: ["path": "\(metricsFile)", "error": "\(error)"])
            }
        }
        ProgressPrinter.clearLine()
        print(json ? try JSONOutput.text(summary) : summary.text)
        if let message = summary.message, summary.outcome != .completed {
            ErrorOutput.write("provisioner run: \(message)")
        }
        if exitCode != .success { throw exitCode }
    }

    /// The run's settings from the flags.
    private func runConfiguration(veriff: VeriffConfiguration) -> RunConfiguration {
        let host = ProcessInfo.processInfo.hostName
        var configuration = RunConfiguration(
            runnerID: "\(host):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())", host: host,
            pid: Int(getpid()))
        configuration.limit = limit
        configuration.maxDuration = maxDuration?.duration
        configuration.maxConcurrency = concurrency
        configuration.maxAttempts = maxAttempts
        configuration.lease = .milliseconds(Int64(leaseSeconds * 1000))
        configuration.holdInDoubt = holdInDoubt
        configuration.defaultCallback = veriff.defaultCallback
        configuration.stopGracePeriod = veriff.requestTimeout + .seconds(1)
        return configuration
    }

    /// The shared limiter (one budget for every runner on this database), or one for this process only.
    private func limiter(
        _ limits: RateLimitConfiguration, key: String, pool: PostgresConnectionPool, logger: Logger
    ) -> any SendRateLimiter {
        switch limiterMode {
        case .shared: PostgresRateLimiter.make(pool: pool, key: key, configuration: limits, logger: logger)
        case .local: RateLimiter.local(configuration: limits, clock: ContinuousClock(), logger: logger)
        }
    }
}
