import ArgumentParser
import Support
import VeriffAPI

/// The flags that configure the Veriff client; the rest comes from `VERIFF_*` environment variables.
struct VeriffOptions: ParsableArguments {
    @Option(
        name: .customLong("api-key-file"),
        help: ArgumentHelp(
            "Read the Veriff API key from this file (else VERIFF_API_KEY). Never pass the key itself.",
            valueName: "path"
        )
    )
    var apiKeyFile: String?

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Veriff's base URL (overrides VERIFF_BASE_URL; default https://stationapi.veriff.com).")
    )
    var baseURL: String?

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Seconds one request may take.", valueName: "seconds"))
    var timeout: Double = 30

    func validate() throws {
        guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be a number of seconds between 0 and 3600, got \(timeout)")
        }
    }

    /// The client configuration from these flags and `environment`.
    ///
    /// - Throws: `ValidationError` naming the variable, flag or file that is wrong.
    func configuration(environment: [String: String]) throws -> VeriffConfiguration {
        do {
            return try VeriffConfiguration.fromEnvironment(
                environment, apiKeyFile: apiKeyFile, baseURL: baseURL,
                requestTimeout: .milliseconds(Int64((timeout * 1000).rounded())),
                userAgent: "provisioner/\(Provisioner.version)"
            )
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }
}
