import Foundation
import Support
import Testing
import VeriffAPI

@Suite("Veriff configuration from the environment and flags")
struct VeriffConfigurationTests {
    static let key = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

    @Test("defaults: Veriff's base URL, 30 s, no integration id or callback")
    func defaults() throws {
        let configuration = try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": Self.key])
        #expect(configuration.baseURL == "https://stationapi.veriff.com")
        #expect(configuration.sessionsURL == "https://stationapi.veriff.com/v1/sessions")
        #expect(configuration.apiKey.secret == Self.key)
        #expect(configuration.integrationID == nil && configuration.defaultCallback == nil)
        #expect(configuration.requestTimeout == .seconds(30))
    }

    @Test("variables and flags; --base-url wins over VERIFF_BASE_URL; the key file wins over the variable")
    func overrides() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("veriff-key-\(UUID().uuidString)")
        try Data("  \(Self.key)\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try VeriffConfiguration.fromEnvironment(
            [
                "VERIFF_API_KEY": "other", "VERIFF_BASE_URL": "https://env.example",
                "VERIFF_INTEGRATION_ID": "integration-7", "VERIFF_CALLBACK_URL": "https://done.example/back",
            ],
            apiKeyFile: file.path, baseURL: "https://flag.example/", requestTimeout: .seconds(5), userAgent: "p/9"
        )
        #expect(configuration.apiKey.secret == Self.key)
        #expect(configuration.sessionsURL == "https://flag.example/v1/sessions")
        #expect(configuration.integrationID == "integration-7")
        #expect(configuration.defaultCallback == "https://done.example/back")
        #expect(configuration.requestTimeout == .seconds(5))
        #expect(configuration.userAgent == "p/9")
    }

    @Test("clear errors: no key, unreadable or empty key file")
    func keyErrors() throws {
        #expect(throws: ConfigurationError.missingAPIKey) {
            try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": "  "])
        }
        let missing = "/nonexistent/veriff-key"
        let error = #expect(throws: ConfigurationError.self) {
            try VeriffConfiguration.fromEnvironment([:], apiKeyFile: missing)
        }
        #expect(error?.message.contains(missing) == true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("veriff-empty-\(UUID().uuidString)")
        try Data("\n \n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: ConfigurationError.apiKeyFileEmpty(path: file.path)) {
            try VeriffConfiguration.fromEnvironment([:], apiKeyFile: file.path)
        }
    }

    @Test(
        "http:// only to loopback hosts",
        arguments: [
            ("http://127.0.0.1:8089", true), ("http://localhost:1", true), ("http://[::1]:8089", true),
            ("http://127.1.2.3", true), ("https://stationapi.veriff.com", true), ("https://10.0.0.1:443/api", true),
            ("http://stationapi.veriff.com", false), ("http://10.0.0.1", false), ("http://127.0.0.1.evil.com", false),
        ]
    )
    func loopback(url: String, accepted: Bool) {
        let result = Result { try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": Self.key], baseURL: url) }
        switch result {
        case .success: #expect(accepted)
        case .failure(let error):
            #expect(!accepted, "\(error)")
            #expect(error as? ConfigurationError == .insecureURL("", ""))
        }
    }

    @Test(
        "malformed URLs are refused with a reason",
        arguments: [
            "stationapi.veriff.com", "ftp://x", "https://", "https://host:99999", "https://a b", "https://h/?q=1",
            "https://user:pw@host",
        ]
    )
    func malformed(url: String) {
        #expect(throws: ConfigurationError.malformedURL("", "", reason: "")) {
            try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": Self.key], baseURL: url)
        }
    }

    @Test("a non-https default callback is refused before any request")
    func callback() {
        #expect(throws: ConfigurationError.invalidCallback("")) {
            try VeriffConfiguration.fromEnvironment(
                ["VERIFF_API_KEY": Self.key, "VERIFF_CALLBACK_URL": "http://example.com"]
            )
        }
    }

    @Test("the limiter key is the integration id, else a hash prefix of the key, never the key")
    func limiterKey() throws {
        let byKey = try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": Self.key])
        #expect(byKey.limiterKey.hasPrefix("key:") && byKey.limiterKey.count == 4 + 16)
        #expect(!byKey.limiterKey.contains(Self.key) && !byKey.limiterKey.contains(Self.key.prefix(8)))
        let again = try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": Self.key])
        #expect(again.limiterKey == byKey.limiterKey)
        let other = try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": "11111111-2222-3333-4444-555555555555"])
        #expect(other.limiterKey != byKey.limiterKey)
        let byIntegration = try VeriffConfiguration.fromEnvironment(
            ["VERIFF_API_KEY": Self.key, "VERIFF_INTEGRATION_ID": "int-1"]
        )
        #expect(byIntegration.limiterKey == "integration:int-1")
    }

    @Test("descriptions redact the key")
    func redacted() throws {
        let configuration = try VeriffConfiguration.fromEnvironment(["VERIFF_API_KEY": Self.key])
        for text in [
            "\(configuration)", String(reflecting: configuration), "\(configuration.apiKey)",
            String(reflecting: configuration.apiKey), "\([configuration.apiKey])",
        ] {
            #expect(!text.contains(Self.key), "\(text)")
        }
    }
}
