import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import OperatorServer
import Postgres
import SessionQueue
import TestSupport
import Testing
import VeriffAPI
import Webhooks

@Suite("webhook receiver over loopback", .timeLimit(.minutes(10)))
struct WebhookServerTests {
    typealias H = WebhookHarness

    @Test("a signed decision updates the row and leaves an audit row without personal data")
    func decisionApplied() async throws {
        try await H.run { h in
            let id = try await QueueRows.provisioned(h.db, sessionID: "sess-1", vendorData: "cust-1")
            let body = WebhookFixtures.decision(
                sessionID: "sess-1", code: 9102, status: "declined", vendorData: "cust-1",
                decisionTime: "2024-05-01T10:00:00.000Z", reasonCode: 102, reason: "Suspected document tampering")
            let answer = try await h.post(H.decision, body)
            #expect(answer.status == 200)
            let row = try await RowState.read(h.db, id: id)
            #expect(row.sessionStatus == "declined")
            #expect(row.decisionCode == 9102)
            #expect(row.reasonCode == 102)
            #expect(row.decisionAt == Date(timeIntervalSince1970: 1_714_557_600))
            #expect(row.lastEventAt != nil)
            let audit = try await QueueRows.audit(h.db)
            #expect(audit.map(\.outcome) == ["applied"])
            #expect(audit.first?.applied == true)
            let stored = try await h.db.query("SELECT row_to_json(w)::text AS j FROM webhook_events w")
            let json: String = try #require(stored.first).decode("j")
            for personal in ["Mari", "Maasikas", "38501010000", "EE12345678", "1985-01-01", "192.0.2.10"] {
                #expect(!json.contains(personal), "audit row holds \(personal)")
            }
            #expect(json.contains("cust-1") && json.contains("9102") && json.contains("\"reason_code\":102"))
        }
    }

    @Test("events move a row forward: started, then submitted, then the decision")
    func eventsThenDecision() async throws {
        try await H.run { h in
            let id = try await QueueRows.provisioned(h.db, sessionID: "sess-2")
            #expect(
                try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-2", code: 7001, action: "started"))
                    .status == 200)
            #expect(try await RowState.read(h.db, id: id).sessionStatus == "started")
            #expect(
                try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-2", code: 7002, action: "submitted"))
                    .status == 200)
            #expect(try await RowState.read(h.db, id: id).sessionStatus == "submitted")
            let decision = WebhookFixtures.decision(sessionID: "sess-2", code: 9001, status: "approved")
            #expect(try await h.post(H.decision, decision).status == 200)
            let row = try await RowState.read(h.db, id: id)
            #expect(row.sessionStatus == "approved")
            #expect(row.decisionCode == 9001)
            #expect(row.decisionAt != nil, "no decisionTime: the time of receipt")
        }
    }

    @Test("bad, missing or foreign signatures and keys get 401 and write nothing; the log has no body")
    func rejected() async throws {
        try await H.run { h in
            let id = try await QueueRows.provisioned(h.db, sessionID: "sess-3")
            let body = WebhookFixtures.decision(sessionID: "sess-3", code: 9001, status: "approved")
            let otherSecret = try await WebhookFixtures.opensslSignature(body, secret: "not-the-secret")
            let otherBody = try await WebhookFixtures.opensslSignature(body + " ")
            let cases: [(H.Signature, String?)] = [
                (.given(otherSecret), StandInTesting.apiKey),
                (.given(otherBody), StandInTesting.apiKey),
                (.given(String(repeating: "0", count: 64)), StandInTesting.apiKey),
                (.given("zz"), StandInTesting.apiKey),
                (.none, StandInTesting.apiKey),
                (.openssl, "00000000-0000-4000-8000-000000000000"),
                (.openssl, nil),
            ]
            for (signature, key) in cases {
                let answer = try await h.post(H.decision, body, signature: signature, apiKey: key)
                #expect(answer.status == 401)
            }
            #expect(try await QueueRows.audit(h.db).isEmpty)
            #expect(try await RowState.read(h.db, id: id).sessionStatus == "created")
            let warnings = h.logs.entries.filter { $0.level == .warning }
            #expect(warnings.count == cases.count)
            let logged = h.logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(!logged.contains("sess-3") && !logged.contains("Maasikas"))
            #expect(!logged.contains(WebhookFixtures.sharedSecret) && !logged.contains(StandInTesting.apiKey))
        }
    }

    @Test("a replayed webhook is acknowledged once more with no second effect, also when sent 20 times at once")
    func replay() async throws {
        try await H.run { h in
            let id = try await QueueRows.provisioned(h.db, sessionID: "sess-4")
            let body = WebhookFixtures.decision(
                sessionID: "sess-4", code: 9103, status: "resubmission_requested",
                decisionTime: "2024-05-01T10:00:00Z", reasonCode: 201)
            #expect(try await h.post(H.decision, body).status == 200)
            let first = try await RowState.read(h.db, id: id)
            let signature = try await WebhookFixtures.opensslSignature(body)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await h.post(H.decision, body, signature: .given(signature)).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(try await RowState.read(h.db, id: id) == first, "last_event_at unchanged: nothing applied again")
            #expect(try await QueueRows.audit(h.db).count == 1)

            // The end-user retries; a late replay of the resubmission request must not undo that. (By the ordering
            // rule alone it would apply: only the body hash tells it is the same webhook again.)
            _ = try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-4", code: 7001, action: "started"))
            #expect(try await RowState.read(h.db, id: id).sessionStatus == "started")
            #expect(try await h.post(H.decision, body, signature: .given(signature)).status == 200)
            #expect(try await RowState.read(h.db, id: id).sessionStatus == "started")
            #expect(try await QueueRows.audit(h.db).map(\.outcome) == ["applied", "applied"])
        }
    }

    @Test("out-of-order delivery: an older event never overwrites a newer or final status")
    func outOfOrder() async throws {
        try await H.run { h in
            let id = try await QueueRows.provisioned(h.db, sessionID: "sess-5")
            // The decision arrives first; the events of the same session come late.
            let approved = WebhookFixtures.decision(
                sessionID: "sess-5", code: 9001, status: "approved", decisionTime: "2024-05-01T10:00:00Z")
            #expect(try await h.post(H.decision, approved).status == 200)
            #expect(
                try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-5", code: 7002, action: "submitted"))
                    .status == 200)
            #expect(
                try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-5", code: 7001, action: "started"))
                    .status == 200)
            let declined = WebhookFixtures.decision(
                sessionID: "sess-5", code: 9102, status: "declined", decisionTime: "2024-05-01T09:00:00Z")
            #expect(try await h.post(H.decision, declined).status == 200)
            let row = try await RowState.read(h.db, id: id)
            #expect(row.sessionStatus == "approved")
            #expect(row.decisionCode == 9001)
            #expect(try await QueueRows.audit(h.db).map(\.outcome) == ["applied", "final", "final", "final"])

            // Submitted, then a late "started": the row stays submitted.
            let other = try await QueueRows.provisioned(h.db, sessionID: "sess-6")
            _ = try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-6", code: 7002, action: "submitted"))
            _ = try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-6", code: 7001, action: "started"))
            #expect(try await RowState.read(h.db, id: other).sessionStatus == "submitted")

            // Resubmission requested, then the end-user starts again in the same session: allowed.
            let retry = try await QueueRows.provisioned(h.db, sessionID: "sess-7")
            let resubmit = WebhookFixtures.decision(
                sessionID: "sess-7", code: 9103, status: "resubmission_requested", decisionTime: "2024-05-01T10:00:00Z")
            _ = try await h.post(H.decision, resubmit)
            #expect(try await RowState.read(h.db, id: retry).sessionStatus == "resubmission_requested")
            _ = try await h.post(H.event, WebhookFixtures.event(sessionID: "sess-7", code: 7001, action: "started"))
            #expect(try await RowState.read(h.db, id: retry).sessionStatus == "started")
        }
    }

    @Test("unknown sessions and unparseable bodies are acknowledged and audited, not applied")
    func unknownAndUnparseable() async throws {
        try await H.run { h in
            let unknown = WebhookFixtures.decision(sessionID: "nobody", code: 9001, status: "approved")
            #expect(try await h.post(H.decision, unknown).status == 200)
            #expect(try await h.post(H.event, "this is not json").status == 200)
            let audit = try await QueueRows.audit(h.db)
            #expect(audit.map(\.outcome) == ["unknown_session", "unparseable"])
            #expect(audit.allSatisfy { !$0.applied })
        }
    }

    @Test("vendorData finds a row whose session id was never recorded; another session of the row is not applied")
    func vendorDataFallback() async throws {
        try await H.run { h in
            // An in-doubt row: the session was created but the answer was lost.
            let rows = try await h.db.query(
                """
                INSERT INTO session_queue (status, email, vendor_data, in_doubt, attempts)
                VALUES ('pending', 'a@example.com', 'cust-9', true, 1) RETURNING id
                """)
            let id: Int64 = try #require(rows.first).decode("id")
            let started = WebhookFixtures.event(
                sessionID: "lost-1", code: 7001, action: "started", vendorData: "cust-9")
            #expect(try await h.post(H.event, started).status == 200)
            #expect(try await RowState.read(h.db, id: id).sessionStatus == "started")

            // A row without vendor_data is found by its id, which the run sends as vendorData.
            let bare = try await h.db.query(
                "INSERT INTO session_queue (status, email) VALUES ('pending', 'b@example.com') RETURNING id")
            let bareID: Int64 = try #require(bare.first).decode("id")
            let byID = WebhookFixtures.event(
                sessionID: "lost-2", code: 7001, action: "started", vendorData: "\(bareID)")
            _ = try await h.post(H.event, byID)
            #expect(try await RowState.read(h.db, id: bareID).sessionStatus == "started")

            // A provisioned row with another session: a duplicate session's news is recorded, not applied.
            let other = try await QueueRows.provisioned(h.db, sessionID: "sess-10", vendorData: "cust-10")
            let duplicate = WebhookFixtures.decision(
                sessionID: "dup-10", code: 9001, status: "approved", vendorData: "cust-10")
            _ = try await h.post(H.decision, duplicate)
            #expect(try await RowState.read(h.db, id: other).sessionStatus == "created")
            #expect(try await QueueRows.audit(h.db).map(\.outcome) == ["applied", "applied", "session_mismatch"])
        }
    }

    @Test("an oversize body gets 413 before any check, and nothing is written")
    func oversize() async throws {
        try await H.run { h in
            try await QueueRows.provisioned(h.db, sessionID: "sess-11")
            let padding = String(repeating: "x", count: H.bodyLimit * 2)
            let body = WebhookFixtures.decision(
                sessionID: "sess-11", code: 9001, status: "approved", reason: padding)
            let answer = try await h.post(H.decision, body)
            #expect(answer.status == 413)
            #expect(try await QueueRows.audit(h.db).isEmpty)
        }
    }

    @Test("health answers 200; other paths 404, other methods 405")
    func routes() async throws {
        try await H.run { (h: H) async throws in
            #expect(try await h.get("/healthz").status == 200)
            #expect(try await h.get("/nope").status == 404)
            #expect(try await h.get(H.decision).status == 405)
            #expect(try await h.post("/healthz", "{}").status == 405)
        }
    }

    @Test("with the database down: health 503, webhooks 503 so that Veriff retries")
    func databaseDown() async throws {
        let port = try await TestCluster.freePort()
        let conninfo = "host=127.0.0.1 port=\(port) user=postgres dbname=postgres connect_timeout=2"
        try await withPostgresWebhookStore(conninfo: conninfo, logger: .test) { store in
            try await withWebhookServer(configuration: H.configuration(), store: store, logger: .test) { server in
                try await H.withClient { http in
                    let body = WebhookFixtures.event(sessionID: "s", code: 7001, action: "started")
                    var request = HTTPClientRequest(url: server.baseURL + H.event)
                    request.method = .POST
                    request.headers.add(name: "X-AUTH-CLIENT", value: StandInTesting.apiKey)
                    request.headers.add(
                        name: "X-HMAC-SIGNATURE", value: try await WebhookFixtures.opensslSignature(body))
                    request.body = .bytes(.init(string: body))
                    #expect(try await http.execute(request, timeout: .seconds(10)).status == .serviceUnavailable)
                    let health = try await http.execute(
                        HTTPClientRequest(url: server.baseURL + "/healthz"), timeout: .seconds(10))
                    #expect(health.status == .serviceUnavailable)
                }
            }
        }
    }
}
