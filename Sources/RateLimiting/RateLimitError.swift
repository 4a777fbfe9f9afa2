/// An error from the rate limiter: a bad setting, or a shared store that failed.
public struct RateLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidSetting
        case storeFailed
    }

    private let code: Code
    /// The setting or operation concerned, e.g. `--rate` or `reserve`.
    public let subject: String
    /// What is wrong, in plain words.
    public let problem: String

    private init(_ code: Code, subject: String, problem: String) {
        self.code = code
        self.subject = subject
        self.problem = problem
    }

    /// A limiter setting is out of range.
    public static func invalidSetting(_ setting: String, _ problem: String) -> Self {
        Self(.invalidSetting, subject: setting, problem: problem)
    }

    /// The shared state could not be read or written.
    public static func storeFailed(_ operation: String, _ problem: String) -> Self {
        Self(.storeFailed, subject: operation, problem: problem)
    }

    /// Whether this is a bad setting.
    public var isInvalidSetting: Bool { code == .invalidSetting }
    /// Whether the shared store failed.
    public var isStoreFailure: Bool { code == .storeFailed }

    public var description: String {
        switch code {
        case .invalidSetting: "invalid \(subject): \(problem)"
        case .storeFailed: "rate limiter state (\(subject)) failed: \(problem)"
        }
    }
}
