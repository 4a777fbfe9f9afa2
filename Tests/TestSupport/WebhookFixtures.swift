import Foundation

/// Webhook bodies shaped like Veriff's, and signatures computed with openssl (independently of the code under test).
public enum WebhookFixtures {
    public static let sharedSecret = "8d3d3b4a-7f65-4b62-9a3e-webhook-secret"

    /// A decision webhook with person and document data, as Veriff sends it.
    public static func decision(
        sessionID: String, code: Int, status: String, vendorData: String? = nil, decisionTime: String? = nil,
        reasonCode: Int? = nil, reason: String? = nil
    ) -> String {
        func json(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "null" }
        return """
            {"status":"success","verification":{"id":"\(sessionID)","attemptId":"attempt-1","code":\(code),\
            "status":"\(status)","reason":\(json(reason)),"reasonCode":\(reasonCode.map(String.init) ?? "null"),\
            "vendorData":\(json(vendorData)),"endUserId":null,"decisionTime":\(json(decisionTime)),\
            "acceptanceTime":"2024-05-01T09:50:00.000Z",\
            "person":{"firstName":"Mari","lastName":"Maasikas","idNumber":"38501010000","dateOfBirth":"1985-01-01"},\
            "document":{"number":"EE12345678","type":"ID_CARD","country":"EE","validUntil":"2030-01-01"}},\
            "technicalData":{"ip":"192.0.2.10"}}
            """
    }

    /// An event webhook.
    public static func event(sessionID: String, code: Int, action: String, vendorData: String? = nil) -> String {
        let vendor = vendorData.map { "\"\($0)\"" } ?? "null"
        return """
            {"id":"\(sessionID)","attemptId":"attempt-1","feature":"selfid","code":\(code),"action":"\(action)",\
            "vendorData":\(vendor),"endUserId":null}
            """
    }

    /// `X-HMAC-SIGNATURE` for `body`, computed by `openssl dgst -sha256 -hmac`.
    public static func opensslSignature(_ body: String, secret: String = sharedSecret) async throws -> String {
        let output = try await Shell.run("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", secret], input: body)
        guard output.status == 0, let hex = output.stdout.split(separator: " ").last else {
            throw TestSetupError("openssl failed: \(output.stderr)")
        }
        return hex.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
