/// A setting that cannot be used: a missing key, an unreadable file, a malformed URL or address. The message names
/// the variable, flag or file and what is wrong, never a secret.
///
/// Each module adds its own kinds as static members (`ConfigurationError.missingAPIKey`,
/// `.missingSharedSecret`, ...). Errors compare by ``code`` only, so a test can expect a kind of problem whatever
/// the details of its message.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Sendable, Hashable {
        private let name: String
        public init(_ name: String) { self.name = name }
    }

    /// The kind of problem.
    public let code: Code
    /// What was wrong, for an operator.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
