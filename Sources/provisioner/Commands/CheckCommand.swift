import ArgumentParser
import Foundation
import Logging
import Operations
import Postgres
import RateLimiting
import Support
import VeriffAPI

/// `provisioner check`: verifies a setup without creating a session or writing anything.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check configuration, database, schema version, permissions and Veriff's TLS, changing nothing.",
        discussion: """
            Prints one line per check (ok, FAIL or skip) and exits 0 when every check passed, 1 otherwise. It \
            connects to PostgreSQL as a run would (DATABASE_URL, else libpq's PG* defaults), reads the schema version \
            and the role's privileges, and sends one GET (never a POST, without the API key) to the Veriff base URL \
            to prove that it answers with a trusted certificate. It cannot tell whether Veriff accepts the key: only \
            creating a session would, and check never creates one.
            """
    )

    @OptionGroup var veriff: VeriffOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    @Option(
        name: .customLong("tls-timeout"), help: ArgumentHelp("Seconds the TLS check may take.", valueName: "seconds"))
    var tlsTimeout: Double = 10

    @Flag(help: "Print the results as JSON on standard output.")
    var json = false

    func validate() throws {
        guard tlsTimeout.isFinite, tlsTimeout > 0, tlsTimeout <= 300 else {
            throw ValidationError("--tls-timeout must be a number of seconds between 0 and 300, got \(tlsTimeout)")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "provisioner.check")
        let environment = ProcessInfo.processInfo.environment
        var problems: [String] = []
        var configuration: VeriffConfiguration?
        do {
            configuration = try veriff.configuration(environment: environment)
        } catch let error as ValidationError {
            problems.append(error.message)
        }
        if let problem = ConnectionString.problem(in: database.conninfo) {
            problems.append(
                ConfigurationError.malformedConnectionString(
                    source: DatabaseOptions.source(environment: environment), problem: problem
                ).message)
        }
        if let path = veriff.apiKeyFile, let problem = Self.keyFileModeProblem(path) {
            problems.append(problem)
        }
        let baseURL =
            veriff.baseURL ?? environment["VERIFF_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? VeriffConfiguration.defaultBaseURL
        let checker = SetupChecker(
            configuration: SetupCheckConfiguration(
                conninfo: database.conninfo, conninfoSource: DatabaseOptions.source(environment: environment),
                environment: environment,
                veriff: configuration, configurationProblems: problems,
                baseURL: baseURL.trimmingCharacters(in: .whitespaces),
                apiKeySource: veriff.apiKeyFile.map { "file \($0)" } ?? "VERIFF_API_KEY",
                httpTimeout: .milliseconds(Int64(tlsTimeout * 1000))
            ),
            logger: logger
        )
        let report = await checker.run()
        let advisories: [String]
        if let key = configuration?.limiterKey {
            advisories =
                (try? await PostgresConnectionPool.withPool(
                    conninfo: database.conninfo, maximum: 1, logger: logger
                ) { pool in await LearnedCap.advisories(pool: pool, key: key) }) ?? []
        } else {
            advisories = []
        }
        if json {
            print(try JSONOutput.text(CheckReportJSON(report, notes: advisories)))
        } else {
            print(report.description)
            for line in advisories { print("note limiter       \(line)") }
        }
        if !report.allPassed {
            let failed = report.results.filter { $0.status != .passed }.map(\.name).joined(separator: ", ")
            ErrorOutput.write("check failed: \(failed)")
            throw ExitCode.failure
        }
    }

    /// A key file that others can read is a leaked key waiting to happen.
    /// - Returns: The problem, or `nil` when the file is private to its owner and group (or cannot be stat'ed:
    ///   reading it then fails with its own message).
    static func keyFileModeProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = info.st_mode & 0o777
        guard mode & 0o007 != 0 else { return nil }
        return "the API key file \(path) can be read by other users (mode \(String(mode, radix: 8))): chmod 600 it"
    }
}
