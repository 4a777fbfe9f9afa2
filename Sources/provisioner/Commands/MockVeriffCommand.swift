import ArgumentParser
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Support
import VeriffAPI
import VeriffStandIn

/// `provisioner mock-veriff`: a local stand-in for Veriff's POST /v1/sessions, for demos, tests and benchmarks.
struct MockVeriffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-veriff",
        abstract: "Serve a local stand-in for Veriff's POST /v1/sessions (cap, latency, faults, statistics).",
        discussion: """
            Prints "listening on http://HOST:PORT" when ready, stops on SIGINT or SIGTERM and then prints what it \
            saw as JSON. The API key it accepts comes from VERIFF_API_KEY or --api-key-file. GET /_standin/stats \
            serves the statistics; POST /_standin/force429?count=N&retryAfter=V queues 429 answers.
            """
    )

    @Option(help: "The address to listen on (loopback).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8089

    @Option(
        name: .customLong("api-key-file"),
        help: ArgumentHelp("Read the accepted API key from this file.", valueName: "path"))
    var apiKeyFile: String?

    @Option(name: .customLong("integration-id"), help: "Require this vrf-integration-id (else VERIFF_INTEGRATION_ID).")
    var integrationID: String?

    @Option(help: "Sessions allowed per sliding window (Veriff: 600 or 30); beyond it 429. Default: unlimited.")
    var cap: Int?

    @Option(help: ArgumentHelp("The cap's window.", valueName: "seconds"))
    var window: Double = 60

    @Option(name: .customLong("retry-after"), help: "Retry-After seconds on cap 429s (default: until a slot frees).")
    var retryAfter: Int?

    @Option(
        name: .customLong("window-kind"),
        help: ArgumentHelp(
            "How the cap's window is counted: sliding, or fixed (clock minutes: consecutive windows from the Unix "
                + "epoch).", valueName: "sliding|fixed"))
    var windowKind: String = "sliding"

    @Option(
        name: .customLong("retry-after-style"),
        help: ArgumentHelp(
            "How cap 429s carry Retry-After: delay seconds, an HTTP date, or none at all.",
            valueName: "seconds|date|none"))
    var retryAfterStyle: String = "seconds"

    @Option(
        name: .customLong("background-rate"),
        help: ArgumentHelp(
            "Another system's sessions per minute on the same integration: they use the cap without going through "
                + "the stand-in's clients.", valueName: "n"))
    var backgroundRate: Double = 0

    @Option(name: .customLong("latency-ms"), help: "Mean latency added to every answer, in milliseconds.")
    var latencyMilliseconds: Double = 0

    @Option(name: .customLong("jitter-ms"), help: "Latency varies uniformly by ± this many milliseconds.")
    var jitterMilliseconds: Double = 0

    @Option(name: .customLong("fault-500"), help: "Probability of a 500 answer.")
    var fault500: Double = 0

    @Option(name: .customLong("fault-503-html"), help: "Probability of a 503 with an HTML body.")
    var fault503: Double = 0

    @Option(name: .customLong("fault-reset"), help: "Probability of a reset connection (session created, no answer).")
    var faultReset: Double = 0

    @Option(name: .customLong("fault-slow"), help: "Probability of an answer after --slow-delay (session created).")
    var faultSlow: Double = 0

    @Option(name: .customLong("slow-delay"), help: ArgumentHelp("Delay of a slow answer.", valueName: "seconds"))
    var slowDelay: Double = 35

    @Option(name: .customLong("fault-broken-body"), help: "Probability of a 201 whose body is cut off.")
    var faultBrokenBody: Double = 0

    @Option(name: .customLong("fault-429-burst"), help: "Probability that a burst of 429s starts.")
    var fault429Burst: Double = 0

    @Option(name: .customLong("burst-length"), help: "429s in one burst.")
    var burstLength = 10

    @Flag(name: .customLong("print-sessions"), help: "Include every created session in the statistics printed on exit.")
    var printSessions = false

    @Flag(
        name: .customLong("keep-sessions"), inversion: .prefixedNo,
        help: "Keep created sessions in memory for the statistics."
    )
    var keepSessions = true

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
        if let cap, cap < 1 { throw ValidationError("--cap must be at least 1, got \(cap)") }
        guard window > 0, window.isFinite, window <= 86_400 else {
            throw ValidationError("--window must be a positive number of seconds up to 86400, got \(window)")
        }
        guard StandInWindowKind(rawValue: windowKind) != nil else {
            throw ValidationError("--window-kind must be sliding or fixed, got \(windowKind)")
        }
        guard StandInRetryAfterStyle(rawValue: retryAfterStyle) != nil else {
            throw ValidationError("--retry-after-style must be seconds, date or none, got \(retryAfterStyle)")
        }
        if let retryAfter, !(0...86_400).contains(retryAfter) {
            throw ValidationError("--retry-after must be 0...86400 seconds, got \(retryAfter)")
        }
        guard backgroundRate.isFinite, (0...1_000_000).contains(backgroundRate) else {
            throw ValidationError("--background-rate must be 0...1000000 sessions per minute, got \(backgroundRate)")
        }
        guard (0...3_600_000).contains(latencyMilliseconds), (0...3_600_000).contains(jitterMilliseconds),
            (0...3_600).contains(slowDelay)
        else {
            throw ValidationError(
                "--latency-ms and --jitter-ms must be 0...3600000 milliseconds and --slow-delay 0...3600 seconds")
        }
        guard (1...1_000_000).contains(burstLength) else {
            throw ValidationError("--burst-length must be 1...1000000, got \(burstLength)")
        }
        let probabilities = [
            ("--fault-500", fault500), ("--fault-503-html", fault503), ("--fault-reset", faultReset),
            ("--fault-slow", faultSlow), ("--fault-broken-body", faultBrokenBody), ("--fault-429-burst", fault429Burst),
        ]
        for (name, value) in probabilities where !(0...1).contains(value) {
            throw ValidationError("\(name) must be a probability between 0 and 1, got \(value)")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let apiKey: APIKey
        do {
            let configuration = try VeriffConfiguration.fromEnvironment(environment, apiKeyFile: apiKeyFile)
            apiKey = configuration.apiKey
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        guard EndUser.isUUID(apiKey.secret) else {
            throw ValidationError("the stand-in's API key must be a UUID, as Veriff's are")
        }
        var standInConfiguration = StandInConfiguration(
            apiKey: apiKey.secret, integrationID: integrationID ?? environment["VERIFF_INTEGRATION_ID"],
            cap: cap, window: .milliseconds(Int64(window * 1000)), retryAfterSeconds: retryAfter,
            latencyMean: .microseconds(Int64(latencyMilliseconds * 1000)),
            latencyJitter: .microseconds(Int64(jitterMilliseconds * 1000)),
            faults: StandInFaults(
                rateLimitBurst: fault429Burst, rateLimitBurstLength: burstLength, internalError: fault500,
                serviceUnavailableHTML: fault503, connectionReset: faultReset, slowAnswer: faultSlow,
                slowAnswerDelay: .milliseconds(Int64(slowDelay * 1000)), brokenBody: faultBrokenBody
            ),
            keepsSessions: keepSessions
        )
        standInConfiguration.windowKind = StandInWindowKind(rawValue: windowKind) ?? .sliding
        standInConfiguration.retryAfterStyle = StandInRetryAfterStyle(rawValue: retryAfterStyle) ?? .seconds
        standInConfiguration.backgroundPerMinute = backgroundRate
        let logger = logging.makeLogger(label: "provisioner.mock-veriff")
        let service = StandInService(
            host: host, port: port, configuration: standInConfiguration, printSessions: printSessions, logger: logger)
        try await ServiceRunner.run(service, firstSignalMessage: "mock-veriff: stopping", logger: logger)
    }
}

/// The stand-in as a service: listens until graceful shutdown, then stops and prints what it saw as JSON.
struct StandInService: Service {
    var host: String
    var port: Int
    var configuration: StandInConfiguration
    var printSessions: Bool
    var logger: Logger

    func run() async throws {
        let standIn = try await VeriffStandIn.start(
            host: host, port: port, configuration: configuration, logger: logger)
        writeLine("listening on \(standIn.baseURL)")
        try? await gracefulShutdown()
        logger.info("stopping")
        try await standIn.shutdown()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        writeLine(String(decoding: try encoder.encode(standIn.stats(includeSessions: printSessions)), as: UTF8.self))
    }

    /// Writes straight to the file descriptor: scripts wait for the line, so it must not sit in a buffer.
    private func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
