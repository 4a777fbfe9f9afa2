import Testing
import VeriffAPI

/// Vectors computed independently with `printf '...' | openssl dgst -sha256 -hmac SECRET`.
@Suite("X-HMAC-SIGNATURE")
struct WebhookSignatureTests {
    static let vectors: [(body: String, secret: String, signature: String)] = [
        (
            #"{"status":"success","verification":{"id":"abc"}}"#, "my-shared-secret",
            "219e74963c3e4f0ff9f97e03ab159004647d6959b7bdab4f4d70246cb3946e42"
        ),
        ("", "key", "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0"),
        (
            "The quick brown fox jumps over the lazy dog", "key",
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        ),
        (#"{"vendorData":"ä€𝄞"}"#, "sëcret", "f28b6579a6833c7cd55f804649a448b2e8c75380fbb79c63ed168755d56861cb"),
    ]

    @Test("sign matches openssl on the raw bytes", arguments: 0..<vectors.count)
    func sign(_ index: Int) {
        let vector = Self.vectors[index]
        #expect(WebhookSignature.sign(body: Array(vector.body.utf8), secret: vector.secret) == vector.signature)
        #expect(
            WebhookSignature.isValid(signature: vector.signature, body: Array(vector.body.utf8), secret: vector.secret))
    }

    @Test("isValid accepts upper case and surrounding whitespace, rejects every other change")
    func verify() {
        let vector = Self.vectors[0]
        let body = Array(vector.body.utf8)
        #expect(
            WebhookSignature.isValid(
                signature: " \(vector.signature.uppercased())\n", body: body, secret: vector.secret))
        #expect(!WebhookSignature.isValid(signature: vector.signature, body: body, secret: "other"))
        #expect(!WebhookSignature.isValid(signature: vector.signature, body: body + [0x20], secret: vector.secret))
        var flipped = Array(vector.signature)
        flipped[63] = flipped[63] == "2" ? "3" : "2"
        #expect(!WebhookSignature.isValid(signature: String(flipped), body: body, secret: vector.secret))
        #expect(
            !WebhookSignature.isValid(signature: String(vector.signature.dropLast()), body: body, secret: vector.secret)
        )
        #expect(!WebhookSignature.isValid(signature: "", body: body, secret: vector.secret))
    }
}
