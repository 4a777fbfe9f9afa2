import Foundation
import Support

extension WebhookSecret {
    /// Reads the shared secret from `file` when given (it wins), else from `VERIFF_SHARED_SECRET`.
    ///
    /// - Parameters:
    ///   - environment: Usually `ProcessInfo.processInfo.environment`.
    ///   - file: `--shared-secret-file PATH`, if given.
    /// - Throws: ``ConfigurationError`` naming the variable or file.
    public static func fromEnvironment(_ environment: [String: String], file: String? = nil) throws -> WebhookSecret {
        if let file {
            let contents: String
            do {
                contents = try SecretFile.read(file)
            } catch {
                throw ConfigurationError.sharedSecretFileUnreadable(path: file, reason: error.reason)
            }
            let secret = WebhookSecret(contents)
            guard !secret.secret.isEmpty else { throw ConfigurationError.sharedSecretFileEmpty(path: file) }
            return secret
        }
        let secret = WebhookSecret(environment["VERIFF_SHARED_SECRET"] ?? "")
        guard !secret.secret.isEmpty else { throw ConfigurationError.missingSharedSecret }
        return secret
    }
}

extension WebhookConfiguration {
    /// Splits `HOST:PORT` (`[v6]:PORT` for IPv6) into its parts.
    ///
    /// - Throws: ``ConfigurationError/badListenAddress(_:)``.
    public static func parseListenAddress(_ value: String) throws -> (host: String, port: Int) {
        let host: Substring
        let port: Substring
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]"), value[value.index(after: close)...].hasPrefix(":") else {
                throw ConfigurationError.badListenAddress(value)
            }
            host = value[value.index(after: value.startIndex)..<close]
            port = value[value.index(close, offsetBy: 2)...]
        } else {
            guard let colon = value.lastIndex(of: ":"), !value[..<colon].contains(":") else {
                throw ConfigurationError.badListenAddress(value)
            }
            host = value[..<colon]
            port = value[value.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65_535).contains(number) else {
            throw ConfigurationError.badListenAddress(value)
        }
        return (String(host), number)
    }

    /// Checks that every path starts with `/`, is made of letters, digits and `/ - . _ ~` only (the router reads
    /// `:`, `*` and `{}` as patterns), and that they differ.
    ///
    /// - Throws: ``ConfigurationError/badPath(_:)``.
    public func validatePaths() throws {
        for (name, path) in [("decision", decisionPath), ("event", eventPath), ("health", healthPath)] {
            let plain = path.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (CharacterSet.alphanumerics.contains(scalar) || "/-._~".unicodeScalars.contains(scalar))
            }
            guard path.hasPrefix("/"), plain else {
                throw ConfigurationError.badPath(
                    "the \(name) path must start with / and hold only letters, digits and / - . _ ~: \(path)")
            }
        }
        guard Set([decisionPath, eventPath, healthPath]).count == 3 else {
            throw ConfigurationError.badPath("the decision, event and health paths must differ")
        }
    }
}
