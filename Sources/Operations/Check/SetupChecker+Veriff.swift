import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import VeriffAPI

extension SetupChecker {
    /// Veriff's base URL answers, over TLS with a trusted certificate (or plain HTTP to a loopback stand-in).
    ///
    /// It sends one GET to the base URL itself, without the API key: any HTTP status proves that DNS, the route, the
    /// TLS handshake and the certificate are fine. It never POSTs, so it never creates a session.
    func checkVeriff() async -> CheckResult {
        let url = configuration.baseURL
        do {
            try VeriffConfiguration.validateBaseURL(url)
        } catch {
            return .skipped("veriff", "not checked: the base URL is not usable (see configuration)")
        }
        let isPlainLoopback = url.lowercased().hasPrefix("http://")
        let timeout = configuration.httpTimeout
        do {
            let status = try await HTTPClient.withHTTPClient(
                configuration: VeriffClient.httpClientConfiguration(maximumConnections: 1, connectTimeout: timeout)
            ) { client in
                var request = HTTPClientRequest(url: url)
                request.method = .GET
                request.headers.add(name: "User-Agent", value: configuration.veriff?.userAgent ?? "provisioner")
                let response = try await client.execute(request, timeout: TimeAmount(timeout), logger: logger)
                // Read (and drop) a little of the body so the connection closes cleanly.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                return response.status.code
            }
            if isPlainLoopback {
                return .passed(
                    "veriff",
                    "\(url) answers (HTTP \(status)); plain HTTP to loopback (local stand-in): TLS not applicable")
            }
            return .passed("veriff", "\(url) answers over TLS with a trusted certificate (HTTP \(status) to a GET)")
        } catch {
            return .failed("veriff", "\(url): \(Self.explain(error, timeout: timeout))")
        }
    }

    /// A short reason for a failed request, naming a certificate problem plainly.
    static func explain(_ error: any Error, timeout: Duration) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            return "certificate not trusted (TLS handshake failed: CERTIFICATE_VERIFY_FAILED)"
        }
        if text.lowercased().contains("hostname") {
            return "certificate does not match the host name (\(firstLine(of: error)))"
        }
        if let httpError = error as? HTTPClientError {
            if httpError == .connectTimeout || httpError == .deadlineExceeded || httpError == .readTimeout {
                return "no answer within \(timeout)"
            }
            if httpError == .remoteConnectionClosed {
                return "the server closed the connection (not speaking HTTP or TLS?)"
            }
        }
        return "cannot connect: \(firstLine(of: error))"
    }
}
