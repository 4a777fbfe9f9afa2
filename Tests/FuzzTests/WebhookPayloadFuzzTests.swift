import Foundation
import SessionQueue
import TestSupport
import Testing
import Webhooks

/// Seeded random and mutated webhook bodies through `WebhookPayload.parse` (not the server): never a crash, always a
/// body hash, and an event without a session id or vendorData is marked unparseable.
@Suite("fuzz: webhook bodies", .timeLimit(.minutes(10)))
struct WebhookPayloadFuzzTests {
    static let corpus = [
        #"{"status":"success","verification":{"id":"s-1","attemptId":"a","code":9001,"status":"approved","vendorData":"r1","decisionTime":"2024-05-01T09:50:00.000Z","reasonCode":null}}"#,
        #"{"id":"s-2","attemptId":"a","feature":"selfid","code":7001,"action":"started","vendorData":null}"#,
        #"{"verification":{"id":12345,"code":"9102","status":"declined","acceptanceTime":"2024-05-01T09:50:00Z"}}"#,
        #"{"id":"s-3","code":1e300,"action":"submitted","time":"not a time"}"#,
    ].map { Array($0.utf8) }

    static let interesting: [UInt8] = Array("{}[]\":,\\0123456789.eE-tfn ".utf8) + [0, 0xFF]

    @Test("random and mutated bodies: no crash, a body hash, unparseable when nothing identifies the session")
    func bodies() {
        var rng = SplitMix64(seed: 0x3EB_0001)
        var failures = FuzzFailures()
        for index in 0..<Fuzz.cases {
            let bytes =
                index % 3 == 0
                ? Fuzz.randomBytes(&rng, interesting: Self.interesting)
                : rng.mutate(rng.pick(Self.corpus), interesting: Self.interesting)
            let kind: LifecycleEvent.Kind = Bool.random(using: &rng) ? .decision : .event
            let event = WebhookPayload.parse(kind: kind, body: bytes)
            failures.check(event.bodySHA256.count == 64, "case \(index): no body hash")
            if event.sessionID == nil && event.vendorData == nil {
                failures.check(event.unparseableReason != nil, "case \(index): nothing identifies it, yet parsed")
            }
            failures.check((event.sessionID?.count ?? 0) <= 1000, "case \(index): an id over 1,000 characters")
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("deeply nested and huge-number bodies are unparseable or ignored, never a crash")
    func extremes() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(WebhookPayload.parse(kind: .event, body: deep).unparseableReason != nil)
        let huge = Array(#"{"id":"s","code":1e308,"reasonCode":-1e308,"action":"started"}"#.utf8)
        #expect(WebhookPayload.parse(kind: .event, body: huge).code == nil)
    }
}
