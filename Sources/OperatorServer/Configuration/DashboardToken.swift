import Foundation
import Support

/// The token that opens `/metrics` and the dashboard (`Authorization: Bearer <token>`). Its `description` is
/// redacted; only ``SecretMatcher`` ever compares it.
public struct DashboardToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The shortest token accepted: a guessable token would open the operator's pages.
    public static let minimumLength = 16

    /// The token itself. Never log or print it.
    public let secret: String

    /// Wraps a token; surrounding whitespace and newlines (as left by `echo token > file`) are removed.
    ///
    /// - Throws: ``DashboardTokenError`` when it is shorter than ``minimumLength`` or holds whitespace or control
    ///   characters (it must fit in a header).
    public init(_ token: String, source: String) throws {
        let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= Self.minimumLength else { throw DashboardTokenError.tooShort(source: source) }
        guard trimmed.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw DashboardTokenError.notPrintable(source: source)
        }
        secret = trimmed
    }

    public var description: String { "[REDACTED]" }
    public var debugDescription: String { "DashboardToken([REDACTED])" }

    /// Reads the token from `file` when given (it wins), else from `PROVISIONER_DASHBOARD_TOKEN`; `nil` when
    /// neither is set (the dashboard and `/metrics` are off).
    ///
    /// - Parameters:
    ///   - environment: Usually `ProcessInfo.processInfo.environment`.
    ///   - file: `--dashboard-token-file PATH`, if given.
    /// - Throws: ``DashboardTokenError`` naming the variable or file.
    public static func fromEnvironment(_ environment: [String: String], file: String? = nil) throws -> DashboardToken? {
        if let file {
            let contents: String
            do {
                contents = try SecretFile.read(file)
            } catch {
                throw DashboardTokenError.fileUnreadable(path: file, reason: error.reason)
            }
            return try DashboardToken(contents, source: "the file \(file)")
        }
        guard let value = environment["PROVISIONER_DASHBOARD_TOKEN"], !value.isEmpty else { return nil }
        return try DashboardToken(value, source: "PROVISIONER_DASHBOARD_TOKEN")
    }
}

/// Why the dashboard token could not be used. Never contains the token.
public struct DashboardTokenError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case fileUnreadable, tooShort, notPrintable }

    private let code: Code
    /// What was wrong, for an operator: names the variable or file.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// `--dashboard-token-file` could not be read.
    public static func fileUnreadable(path: String, reason: String) -> Self {
        Self(.fileUnreadable, "cannot read the dashboard token file \(path): \(reason)")
    }
    /// The token is too short to resist guessing.
    public static func tooShort(source: String) -> Self {
        Self(
            .tooShort,
            "the dashboard token from \(source) is shorter than \(DashboardToken.minimumLength) characters "
                + "(make one with `openssl rand -hex 32`)")
    }
    /// The token holds whitespace, control or non-ASCII characters.
    public static func notPrintable(source: String) -> Self {
        Self(.notPrintable, "the dashboard token from \(source) must be printable ASCII without spaces")
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
