import InMemoryLogging
import Logging
import NIOHTTP1
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

/// The API key and session tokens never reach captured logs, error text or descriptions.
@Suite("Secrets stay out of logs and errors", .timeLimit(.minutes(1)))
struct RedactionTests {
    /// Everything a log handler received, as one text: messages, metadata, errors.
    private func text(of handler: InMemoryLogHandler) -> String {
        handler.entries.map { entry in
            "\(entry.level) \(entry.message) \(entry.metadata) \(entry.error.map { "\($0)" } ?? "")"
        }.joined(separator: "\n")
    }

    private func tracingLogger(_ handler: InMemoryLogHandler) -> Logger {
        var logger = Logger(label: "test.redaction", factory: { _ in handler })
        logger.logLevel = .trace
        return logger
    }

    @Test("every outcome against the stand-in, logged at trace level, never shows the key or a token")
    func standInOutcomes() async throws {
        let handler = InMemoryLogHandler()
        let logger = tracingLogger(handler)
        var texts: [String] = []
        var tokens: [String] = []
        let faults: [StandInFaults] = [
            StandInFaults(), StandInFaults(internalError: 1), StandInFaults(serviceUnavailableHTML: 1),
            StandInFaults(connectionReset: 1), StandInFaults(brokenBody: 1),
        ]
        for fault in faults {
            try await withStandIn(StandInTesting.configuration(faults: fault), logger: logger) { standIn in
                let configuration = StandInTesting.clientConfiguration(for: standIn)
                try await withVeriffClient(configuration, logger: logger) { client in
                    let request = EndUser(vendorData: "row-9").sessionRequest()
                    let attempt = await client.createSession(request)
                    texts.append("\(attempt) \(attempt.outcome) \(String(reflecting: attempt))")
                    // A wrong key: the key the client holds (a valid UUID, refused) must not show either.
                    var wrong = configuration
                    wrong.apiKey = APIKey("99999999-8888-4777-8666-555555555555")
                    try await withVeriffClient(wrong, logger: logger) { wrongClient in
                        let refused = await wrongClient.createSession(request)
                        #expect(refused.outcome.kind == "fatal")
                        texts.append("\(refused.outcome) \(String(reflecting: refused))")
                    }
                }
                tokens += standIn.stats().sessions?.compactMap(\.session.sessionToken) ?? []
            }
        }
        #expect(!tokens.isEmpty)
        let everything = texts.joined(separator: "\n") + text(of: handler)
        #expect(!handler.entries.isEmpty)
        for secret in [StandInTesting.apiKey, "99999999-8888-4777-8666-555555555555"] + tokens {
            #expect(!everything.contains(secret), "a secret leaked")
        }
    }

    @Test("a server that echoes the key back in its error has it redacted")
    func echoingServer() async throws {
        let handler = InMemoryLogHandler()
        let logger = tracingLogger(handler)
        let responder = ClosureResponder { request in
            let key = request.headers.first(name: "X-AUTH-CLIENT") ?? ""
            let status: HTTPResponseStatus = request.uri.contains("unauthorized") ? .unauthorized : .badRequest
            let code = request.uri.contains("server") ? 500 : Int(status.code)
            return HTTPResponse(
                status: HTTPResponseStatus(statusCode: code), contentType: "application/json",
                body: #"{"status":"fail","code":"\#(key)","message":"bad key \#(key) here"}"#
            )
        }
        try await withHTTPServer(logger: logger, responder: responder) { server in
            for path in ["", "/unauthorized", "/server"] {
                let configuration = VeriffConfiguration(
                    baseURL: server.baseURL + path, apiKey: APIKey(StandInTesting.apiKey)
                )
                let attempt = try await withVeriffClient(configuration, logger: logger) {
                    await $0.createSession(SessionRequest())
                }
                let shown = "\(attempt.outcome) \(String(reflecting: attempt))"
                #expect(shown.contains("[REDACTED]"), "\(shown)")
                #expect(!shown.contains(StandInTesting.apiKey))
            }
        }
        #expect(!text(of: handler).contains(StandInTesting.apiKey))
    }
}
