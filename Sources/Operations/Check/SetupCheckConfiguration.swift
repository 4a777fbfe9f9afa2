import SessionQueue
import VeriffAPI

/// What `provisioner check` checks: the settings a run would use, gathered by the command line.
public struct SetupCheckConfiguration: Sendable {
    /// The libpq connection string (`DATABASE_URL`); empty for libpq's defaults (`PG*` variables).
    public var conninfo: String
    /// Where ``conninfo`` came from, for the report. Defaults to `DATABASE_URL`.
    public var conninfoSource: String
    /// The process environment, to describe libpq's defaults when ``conninfo`` is empty. Defaults to empty.
    public var environment: [String: String]
    /// The Veriff settings when they are complete and valid; `nil` when ``configurationProblems`` says why not.
    public var veriff: VeriffConfiguration?
    /// Problems found while reading the settings (missing key, bad URL, key file readable by others...).
    public var configurationProblems: [String]
    /// The base URL to check TLS against, even when other settings are wrong. Defaults to Veriff's.
    public var baseURL: String
    /// Where the API key came from (`VERIFF_API_KEY` or the key file's path), for the report.
    public var apiKeySource: String?
    /// The most the TLS check may take. Defaults to 10 seconds.
    public var httpTimeout: Duration
    /// The privileges the connecting role must have. Defaults to ``TablePrivilege/runner``.
    public var requiredPrivileges: [TablePrivilege]
    /// Functions the role must be able to execute when they exist. Defaults to ``TablePrivilege/runnerFunctions``.
    public var requiredFunctions: [String]

    public init(
        conninfo: String, conninfoSource: String = "DATABASE_URL", environment: [String: String] = [:],
        veriff: VeriffConfiguration?,
        configurationProblems: [String] = [], baseURL: String = VeriffConfiguration.defaultBaseURL,
        apiKeySource: String? = nil, httpTimeout: Duration = .seconds(10),
        requiredPrivileges: [TablePrivilege] = TablePrivilege.runner,
        requiredFunctions: [String] = TablePrivilege.runnerFunctions
    ) {
        self.conninfo = conninfo
        self.conninfoSource = conninfoSource
        self.environment = environment
        self.veriff = veriff
        self.configurationProblems = configurationProblems
        self.baseURL = baseURL
        self.apiKeySource = apiKeySource
        self.httpTimeout = httpTimeout
        self.requiredPrivileges = requiredPrivileges
        self.requiredFunctions = requiredFunctions
    }
}
