import Foundation
import Support

extension VeriffConfiguration {
    /// Builds a configuration from the environment and command-line flags.
    ///
    /// Reads `VERIFF_BASE_URL`, `VERIFF_API_KEY`, `VERIFF_INTEGRATION_ID` and `VERIFF_CALLBACK_URL`. The key comes
    /// from `apiKeyFile` when given (it wins over the variable), never from a command-line value.
    /// - Parameters:
    ///   - environment: Usually `ProcessInfo.processInfo.environment`.
    ///   - apiKeyFile: `--api-key-file PATH`, if given.
    ///   - baseURL: `--base-url`, which overrides `VERIFF_BASE_URL`.
    ///   - requestTimeout: `--timeout`; defaults to 30 seconds.
    ///   - userAgent: The `User-Agent` to send, naming the tool and its version.
    /// - Throws: ``ConfigurationError`` naming the variable, flag or file that is wrong (a missing key, a key that is
    ///   not a UUID, a malformed or insecure URL).
    public static func fromEnvironment(
        _ environment: [String: String], apiKeyFile: String? = nil, baseURL: String? = nil,
        requestTimeout: Duration? = nil, userAgent: String = "provisioner/0.1.0"
    ) throws -> VeriffConfiguration {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        let key: APIKey
        if let apiKeyFile {
            key = try readKeyFile(apiKeyFile)
        } else if let secret = value("VERIFF_API_KEY") {
            key = APIKey(secret)
        } else {
            throw ConfigurationError.missingAPIKey
        }
        // Veriff's keys are UUIDs; anything else would only be found out by a 401 (code 1802) on the first send.
        guard EndUser.isUUID(key.secret) else {
            throw ConfigurationError.apiKeyNotUUID(source: apiKeyFile.map { "the key file \($0)" } ?? "VERIFF_API_KEY")
        }
        let urlName = baseURL == nil ? "VERIFF_BASE_URL" : "--base-url"
        let url = baseURL?.trimmingWhitespace() ?? value("VERIFF_BASE_URL") ?? defaultBaseURL
        try validateBaseURL(url, name: urlName)
        let callback = value("VERIFF_CALLBACK_URL")
        if let callback, !EndUser.isHTTPSURL(callback) {
            throw ConfigurationError.invalidCallback(callback)
        }
        if let requestTimeout, requestTimeout <= .zero {
            throw ConfigurationError.invalidTimeout("\(requestTimeout)")
        }
        return VeriffConfiguration(
            baseURL: url, apiKey: key, integrationID: value("VERIFF_INTEGRATION_ID"), defaultCallback: callback,
            requestTimeout: requestTimeout ?? .seconds(30), userAgent: userAgent
        )
    }

    /// Reads and trims the key file.
    static func readKeyFile(_ path: String) throws -> APIKey {
        let contents: String
        do {
            contents = try SecretFile.read(path)
        } catch {
            throw ConfigurationError.apiKeyFileUnreadable(path: path, reason: error.reason)
        }
        let key = APIKey(contents)
        guard !key.secret.isEmpty else { throw ConfigurationError.apiKeyFileEmpty(path: path) }
        return key
    }

    /// Checks that `url` is `http(s)://host[:port][/path]`, and `https` unless the host is loopback.
    ///
    /// - Parameters:
    ///   - url: The base URL.
    ///   - name: The variable or flag it came from, for the error message.
    /// - Throws: ``ConfigurationError/malformedURL(_:_:reason:)`` or
    ///   ``ConfigurationError/insecureURL(_:_:)``.
    public static func validateBaseURL(_ url: String, name: String = "VERIFF_BASE_URL") throws {
        let lower = url.lowercased()
        let isHTTPS = lower.hasPrefix("https://")
        guard isHTTPS || lower.hasPrefix("http://") else {
            throw ConfigurationError.malformedURL(name, url, reason: "it must start with https://")
        }
        guard !url.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
            throw ConfigurationError.malformedURL(name, url, reason: "it contains whitespace")
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw ConfigurationError.malformedURL(name, url, reason: "a base URL has no query or fragment")
        }
        let rest = url.drop { $0 != ":" }.dropFirst(3)
        let authority = rest.prefix { $0 != "/" }
        guard !authority.contains("@") else {
            throw ConfigurationError.malformedURL(name, url, reason: "credentials do not belong in the URL")
        }
        guard let host = hostOf(authority: authority) else {
            throw ConfigurationError.malformedURL(name, url, reason: "no host or a bad port")
        }
        if !isHTTPS && !isLoopback(host: host) {
            throw ConfigurationError.insecureURL(name, url)
        }
    }

    /// The host of `host[:port]` or `[v6][:port]`, or `nil` if the host is empty or the port is not a number.
    static func hostOf(authority: Substring) -> String? {
        var host: Substring
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                port = after.dropFirst()
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            host = parts[0]
            port = parts.count == 2 ? parts[1] : nil
        }
        if let port, !(UInt16(port).map { $0 > 0 } ?? false) { return nil }
        return host.isEmpty ? nil : String(host).lowercased()
    }

    /// `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopback(host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
