import Foundation
import Support
import Testing
import VeriffAPI
import Webhooks

@Suite("webhook receiver configuration")
struct WebhookConfigurationTests {
    @Test("--listen takes HOST:PORT and [v6]:PORT, and names the flag when wrong")
    func listenAddress() throws {
        #expect(try WebhookConfiguration.parseListenAddress("127.0.0.1:8088") == ("127.0.0.1", 8088))
        #expect(try WebhookConfiguration.parseListenAddress("0.0.0.0:0") == ("0.0.0.0", 0))
        #expect(try WebhookConfiguration.parseListenAddress("[::1]:9000") == ("::1", 9000))
        for bad in ["8088", ":8088", "host:", "host:99999", "::1:80", "[::1]80", "host:port"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try WebhookConfiguration.parseListenAddress(bad)
            }
        }
    }

    @Test("paths must start with / and differ")
    func paths() throws {
        var configuration = WebhookConfiguration(sharedSecret: WebhookSecret("s"), apiKey: APIKey("k"))
        try configuration.validatePaths()
        configuration.eventPath = "webhooks/event"
        #expect(throws: ConfigurationError.self) { try configuration.validatePaths() }
        configuration.eventPath = configuration.decisionPath
        #expect(throws: ConfigurationError.self) { try configuration.validatePaths() }
    }

    @Test("the shared secret comes from the file first, else the variable, and is never shown")
    func secret() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("  from-file\n".utf8).write(to: URL(fileURLWithPath: path))
        let environment = ["VERIFF_SHARED_SECRET": "from-env"]
        #expect(try WebhookSecret.fromEnvironment(environment, file: path).secret == "from-file")
        #expect(try WebhookSecret.fromEnvironment(environment).secret == "from-env")
        #expect(throws: ConfigurationError.missingSharedSecret) {
            try WebhookSecret.fromEnvironment(["VERIFF_SHARED_SECRET": "  "])
        }
        #expect(throws: ConfigurationError.self) {
            try WebhookSecret.fromEnvironment([:], file: path + ".missing")
        }
        try Data("\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigurationError.sharedSecretFileEmpty(path: path)) {
            try WebhookSecret.fromEnvironment(environment, file: path)
        }
        let configuration = WebhookConfiguration(sharedSecret: WebhookSecret("from-env"), apiKey: APIKey("key-123"))
        for text in [
            "\(configuration)", "\(configuration.sharedSecret)", String(reflecting: configuration.sharedSecret),
        ] {
            #expect(!text.contains("from-env") && !text.contains("key-123"))
        }
    }
}
