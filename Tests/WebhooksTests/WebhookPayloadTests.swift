import Foundation
import SessionQueue
import TestSupport
import Testing
import Webhooks

@Suite("webhook payload parsing")
struct WebhookPayloadTests {
    @Test("a decision webhook gives ids, codes, status and time, and nothing of the person or document")
    func decision() throws {
        let body = WebhookFixtures.decision(
            sessionID: "f04bdb47-d3be-4b28-b028-a652feb060b5", code: 9102, status: "declined",
            vendorData: "customer-17", decisionTime: "2024-05-01T10:00:00.123Z", reasonCode: 102,
            reason: "Suspected document tampering")
        let event = WebhookPayload.parse(kind: .decision, body: Array(body.utf8))
        #expect(event.sessionID == "f04bdb47-d3be-4b28-b028-a652feb060b5")
        #expect(event.attemptID == "attempt-1")
        #expect(event.vendorData == "customer-17")
        #expect(event.code == 9102)
        #expect(event.status == .declined)
        #expect(event.reasonCode == 102)
        #expect(event.reason == "Suspected document tampering")
        #expect(event.occurredAt == Date(timeIntervalSince1970: 1_714_557_600.123))
        #expect(event.unparseableReason == nil)
        #expect(event.bodySHA256.count == 64)
        // The event holds no personal data: nothing of person/document appears in it.
        let dump = "\(event)"
        for personal in ["Mari", "Maasikas", "EE12345678", "1985-01-01"] {
            #expect(!dump.contains(personal))
        }
    }

    @Test("codes as strings, unknown fields and times without fractions are accepted")
    func lenient() {
        let body = """
            {"status":"success","newTopLevel":[1,2],"verification":{"id":"s-1","code":"9001","status":"approved",
            "reasonCode":null,"reason":null,"decisionTime":"2024-05-01T10:00:00+00:00","extra":{"a":true}}}
            """
        let event = WebhookPayload.parse(kind: .decision, body: Array(body.utf8))
        #expect(event.code == 9001)
        #expect(event.status == .approved)
        #expect(event.reasonCode == nil)
        #expect(event.occurredAt == Date(timeIntervalSince1970: 1_714_557_600))
    }

    @Test("an event webhook: action and code")
    func event() {
        let body = WebhookFixtures.event(sessionID: "s-2", code: 7002, action: "submitted", vendorData: "v-2")
        let event = WebhookPayload.parse(kind: .event, body: Array(body.utf8))
        #expect(event.sessionID == "s-2")
        #expect(event.code == 7002)
        #expect(event.status == .submitted)
        #expect(event.vendorData == "v-2")
        #expect(event.occurredAt == nil)
    }

    @Test("bodies that are not webhooks are marked unparseable, with their hash")
    func unparseable() {
        for body in ["not json", "[1,2]", "{\"status\":\"success\"}", "{\"verification\":{\"code\":9001}}"] {
            let event = WebhookPayload.parse(kind: .decision, body: Array(body.utf8))
            #expect(event.unparseableReason != nil, "\(body)")
            #expect(event.bodySHA256.count == 64)
        }
    }
}
