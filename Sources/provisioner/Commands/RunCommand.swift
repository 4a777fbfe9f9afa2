import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import Postgres
import Provisioning
import RateLimiting
import SessionQueue
import VeriffAPI

/// `provisioner run`: the main job. Creates a Veriff session for every due row of the queue, within the cap.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create a Veriff session for every due row of the queue, within the integration's cap.",
        discussion: """
            Claims due rows of session_queue (several runners may share one queue and one cap), validates them, \
            sends POST /v1/sessions through the rate limiter, retries what can be retried with backoff, and writes \
            each session's id, url, token and host back. SIGINT/SIGTERM stops gracefully (a second one at once).

            Exit status: 0 done; 1 some rows failed or were invalid; 64 bad usage or configuration; 69 Veriff \
            unavailable (circuit breaker); 75 database unavailable; 77 Veriff refused the key, integration or URL \
            (nothing changed); 130 stopped by a signal.
            """
    )

    @OptionGroup var veriff: VeriffOptions
    @OptionGroup var limiterOptions: LimiterOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(help: ArgumentHelp("Claim at most this many rows in this run.", valueName: "rows"))
    var limit: Int?

    @Option(
        name: .customLong("max-duration"),
        help: ArgumentHelp(
            "Stop sending in time to end within this duration, e.g. 6h, 90m, 45s (in-flight requests get the "
                + "request timeout to finish).", valueName: "duration"))
    var maxDuration: String?

    @Flag(name: .customLong("dry-run"), help: "Validate the due rows and print the plan; send and change nothing.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "The most requests in flight at once (the actual number adapts to rate × latency).", valueName: "n"))
    var concurrency: Int = 64

    @Option(
        name: .customLong("max-attempts"),
        help: ArgumentHelp("Attempts per row before it is marked failed.", valueName: "n"))
    var maxAttempts: Int = 8

    @Flag(
        name: .customLong("hold-in-doubt"),
        help: "Hold rows whose request may have created a session (status held) instead of re-sending them.")
    var holdInDoubt = false

    @Flag(
        name: .customLong("renew-expired"),
        help: "First put rows whose session expired without a final decision back in the queue for a new session.")
    var renewExpired = false

    @Flag(help: "Print the final summary as JSON on standard output.")
    var json = false

    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp(
            "Write Prometheus metrics here at the end (node_exporter textfile collector).", valueName: "path"))
    var metricsFile: String?

    @Option(
        name: .customLong("lease"),
        help: ArgumentHelp("Seconds a claim holds if this runner dies (renewed while it runs).", visibility: .hidden))
    var leaseSeconds: Double = 300

    @Option(
        name: .customLong("limiter"),
        help: ArgumentHelp(
            "shared: one budget for every runner on this database (default); local: this process only.",
            visibility: .hidden))
    var limiterMode: String = "shared"

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        guard (1...10_000).contains(concurrency) else {
            throw ValidationError("--concurrency must be between 1 and 10000, got \(concurrency)")
        }
        guard (1...1000).contains(maxAttempts) else {
            throw ValidationError("--max-attempts must be between 1 and 1000, got \(maxAttempts)")
        }
        if let maxDuration { _ = try Self.parseDuration(maxDuration) }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease must be at least 1 second") }
        guard ["shared", "local"].contains(limiterMode) else {
            throw ValidationError("--limiter must be shared or local, got \(limiterMode)")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.run")
        let environment = ProcessInfo.processInfo.environment
        let limits: RateLimitConfiguration
        do {
            limits = try limiterOptions.configuration()
        } catch {
            throw ValidationError("\(error)")
        }
        if dryRun {
            let plan = try await database.withConnection(logger: logger) { connection in
                try await DryRunPlan.make(connection, ratePerMinute: limits.targetPerMinute, limit: limit)
            }
            print(json ? try Self.json(plan) : Self.describe(plan))
            return
        }
        let veriffConfiguration = try veriff.configuration(environment: environment)
        var configuration = RunConfiguration(
            runnerID: "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())",
            host: ProcessInfo.processInfo.hostName, pid: Int(getpid()))
        configuration.limit = limit
        configuration.maxDuration = try maxDuration.map(Self.parseDuration)
        configuration.maxConcurrency = concurrency
        configuration.maxAttempts = maxAttempts
        configuration.lease = .milliseconds(Int64(leaseSeconds * 1000))
        configuration.holdInDoubt = holdInDoubt
        configuration.defaultCallback = veriffConfiguration.defaultCallback
        configuration.stopGracePeriod = veriffConfiguration.requestTimeout + .seconds(1)

        try await renewExpiredSessions(logger: logger)

        let control = RunControl()
        let summary: RunSummary = try await SignalHandling.withStopOnSignals(control) {
            try await withHTTPClient(maximumConnections: concurrency) { httpClient in
                let client = VeriffClient(configuration: veriffConfiguration, httpClient: httpClient, logger: logger)
                return try await withLimiter(limits, key: veriffConfiguration.limiterKey, logger: logger) { limiter in
                    let progress = ProgressPrinter(logger: logger)
                    let run = ProvisioningRun(
                        conninfo: database.conninfo, sender: client, limiter: limiter, configuration: configuration,
                        control: control, logger: logger, progressInterval: progress.interval,
                        onProgress: progress.report)
                    return try await database.exitingOnConnectionProblems { try await run.run() }
                }
            }
        }
        let exitCode = Self.exitCode(for: summary.outcome)
        if let metricsFile {
            do {
                try MetricsFile.write(summary, exitCode: exitCode.rawValue, to: metricsFile)
            } catch {
                logger.error(
                    "could not write the metrics file", metadata: ["path": "\(metricsFile)", "error": "\(error)"])
            }
        }
        ProgressPrinter.clearLine()
        print(json ? try Self.json(summary) : Self.describe(summary))
        if let message = summary.message, summary.outcome != .completed {
            DatabaseOptions.writeError("provisioner run: \(message)")
        }
        if exitCode != .success { throw exitCode }
    }

    private func withHTTPClient<T: Sendable>(maximumConnections: Int, _ body: (HTTPClient) async throws -> T)
        async throws -> T
    {
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: VeriffClient.httpClientConfiguration(maximumConnections: maximumConnections))
        do {
            let value = try await body(httpClient)
            try await httpClient.shutdown()
            return value
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }

    private func withLimiter<T: Sendable>(
        _ limits: RateLimitConfiguration, key: String, logger: Logger, _ body: (any SendRateLimiter) async throws -> T
    ) async throws -> T {
        if limiterMode == "local" {
            return try await body(RateLimiter.local(configuration: limits, clock: ContinuousClock(), logger: logger))
        }
        return try await database.exitingOnConnectionProblems {
            try await PostgresRateLimiter.withLimiter(
                conninfo: database.conninfo, key: key, configuration: limits, logger: logger
            ) { limiter in try await body(limiter) }
        }
    }

    static func exitCode(for outcome: RunLog.Outcome) -> ExitCode {
        switch outcome {
        case .completed, .running: ExitStatus.success
        case .rowsFailed: ExitStatus.rowsFailed
        case .interrupted: ExitStatus.interrupted
        case .fatalAPIAnswer: ExitStatus.fatalAPIAnswer
        case .veriffUnavailable: ExitStatus.veriffUnavailable
        case .databaseUnavailable, .crashed: ExitStatus.databaseUnavailable
        }
    }

    /// Parses `90s`, `15m`, `6h`, `1d` or a plain number of seconds.
    static func parseDuration(_ text: String) throws -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value > 0, value.isFinite {
                return .milliseconds(Int64(value * factor * 1000))
            }
        }
        if let seconds = Double(trimmed), seconds > 0, seconds.isFinite { return .milliseconds(Int64(seconds * 1000)) }
        throw ValidationError("--max-duration must look like 90s, 15m, 6h or 1d, got \"\(text)\"")
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func describe(_ summary: RunSummary) -> String {
        let c = summary.counts
        var lines = [
            "run \(summary.runID.map(String.init) ?? "-"): \(summary.outcome.rawValue) in "
                + String(format: "%.1f s", summary.seconds),
            "  provisioned \(c.provisioned), failed \(c.failed), invalid \(c.invalid), retry scheduled \(c.retried), "
                + "held \(c.held), released \(c.released), rescued \(c.rescued)",
            "  sent \(String(format: "%.1f", summary.sentPerMinute))/min (target "
                + "\(summary.ratePerMinute.map { String(format: "%.1f", $0) } ?? "-")/min), 429s \(c.rateLimited), "
                + "in doubt \(c.inDoubt)",
        ]
        if let pending = summary.pendingLeft { lines.append("  pending rows left: \(pending)") }
        if let learned = summary.learnedCap { lines.append("  limiter: \(learned.advisory())") }
        return lines.joined(separator: "\n")
    }

    static func describe(_ plan: DryRunPlan) -> String {
        var lines = [
            "dry run: nothing sent, nothing changed",
            "  due now \(plan.dueNow): \(plan.valid) would be sent, \(plan.invalid) would be marked invalid",
            "  scheduled for later (retries): \(plan.scheduledLater)",
            "  at \(String(format: "%.1f", plan.ratePerMinute))/min: about "
                + String(format: "%.1f", plan.minutesToFinish) + " minutes",
        ]
        for example in plan.invalidExamples { lines.append("  row \(example.id): \(example.reason)") }
        if plan.invalid > plan.invalidExamples.count {
            lines.append("  ... and \(plan.invalid - plan.invalidExamples.count) more invalid rows")
        }
        return lines.joined(separator: "\n")
    }
}
