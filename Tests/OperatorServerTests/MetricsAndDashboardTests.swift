import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OperatorServer
import Postgres
import Testing

/// `/healthz`, `/metrics` and `/` (the dashboard's place) with and without a token.
@Suite("operator server: health, metrics, dashboard access", .timeLimit(.minutes(10)))
struct MetricsAndDashboardTests {
    typealias H = ServerHarness

    @Test("without a token, /metrics and / say the dashboard is off, and webhooks and health still work")
    func dashboardOff() async throws {
        try await H.run(try H.configuration(dashboard: false)) { h in
            for path in ["/metrics", "/"] {
                let answer = try await h.get(path, bearer: H.dashboardToken)
                #expect(answer.status == 404)
                #expect(answer.body.contains("dashboard and /metrics are off"))
            }
            #expect(try await h.get("/healthz").body == "ok\n")
            let id = try await h.provisionedRow(sessionID: "off-1")
            #expect(try await h.post(H.event, H.event(sessionID: "off-1")).status == 200)
            #expect(try await h.sessionStatus(id) == "started")
        }
    }

    @Test("with a token: 401 without it or with a wrong one; the metrics read the database at each scrape")
    func metricsBehindToken() async throws {
        try await H.run(try H.configuration()) { h in
            #expect(try await h.get("/metrics").status == 401)
            #expect(try await h.get("/metrics", bearer: "not-the-token-0123456789").status == 401)
            #expect(try await h.get("/", bearer: String(H.dashboardToken.dropLast())).status == 401)
            #expect(try await h.get("/", bearer: H.dashboardToken).status == 200)
            var basic = HTTPClientRequest(url: h.baseURL + "/metrics")
            basic.headers.add(name: "Authorization", value: "Basic \(H.dashboardToken)")
            #expect(try await h.send(basic).status == 401)

            // Rows in several states, attempts of a run, the limiter's row, a webhook applied and two refused.
            try await h.db.execute(
                """
                INSERT INTO session_queue (status, email, in_doubt, session_id, session_url)
                SELECT s, 'u@example.com', s = 'pending' AND g = 1,
                       CASE WHEN s = 'provisioned' THEN 'sess-' || s || g END,
                       CASE WHEN s = 'provisioned' THEN 'https://v.example/' || g END
                FROM unnest(ARRAY['pending', 'pending', 'failed', 'held', 'provisioned']) AS s,
                     generate_series(1, 2) AS g
                """)
            let run: Int64 = try #require(
                try await h.db.query(
                    """
                    INSERT INTO provisioner_runs (runner_id, host, pid, cap_per_minute) VALUES ('r1', 'h', 1, 588)
                    RETURNING id
                    """
                ).first?.decode("id"))
            try await h.db.execute(
                """
                INSERT INTO session_attempts (queue_id, run_id, attempt, started_at, outcome, http_status)
                SELECT (SELECT min(id) FROM session_queue), $1, 1, now(), o, c
                FROM (VALUES ('created', 201), ('created', 201), ('created', 201), ('rate_limited', 429),
                             ('transient', 503)) AS v(o, c)
                """, [run])
            try await h.db.execute(
                """
                INSERT INTO rate_limiter_state (key, emission_interval_us, rate_factor) VALUES ('default', 100000, 0.5)
                """)
            let id = try await h.provisionedRow(sessionID: "metrics-1")
            #expect(try await h.post(H.event, H.event(sessionID: "metrics-1")).status == 200)
            #expect(try await h.post(H.event, H.event(sessionID: "x"), apiKey: nil).status == 401)
            #expect(try await h.post(H.event, H.event(sessionID: "x"), signature: .some("00")).status == 401)
            #expect(try await h.sessionStatus(id) == "started")

            let answer = try await h.get("/metrics", bearer: H.dashboardToken)
            #expect(answer.status == 200)
            let text = answer.body
            func value(_ name: String) -> Double? { H.metric(name, in: text) }
            #expect(value("provisioner_metrics_database_up") == 1)
            #expect(value("provisioner_queue_rows{status=\"pending\"}") == 4)
            #expect(value("provisioner_queue_rows{status=\"failed\"}") == 2)
            #expect(value("provisioner_queue_rows{status=\"held\"}") == 2)
            #expect(value("provisioner_queue_rows{status=\"provisioned\"}") == 3)
            #expect(value("provisioner_queue_rows{status=\"invalid\"}") == 0)
            #expect(value("provisioner_queue_in_doubt_rows") == 2)
            #expect(value("provisioner_session_status_rows{status=\"started\"}") == 1)
            #expect(value("provisioner_session_status_rows{status=\"approved\"}") == 0)
            #expect(value("provisioner_sessions_created") == 3)
            #expect(value("provisioner_rate_limited_answers") == 1)
            #expect(value("provisioner_session_attempts{outcome=\"transient\"}") == 1)
            #expect(value("provisioner_run_cap_per_minute") == 588)
            #expect(value("provisioner_run_running") == 1)
            #expect(value("provisioner_run_sessions_created") == 3)
            #expect(value("provisioner_limiter_rate_per_minute{key=\"default\"}") == 300)
            #expect(value("provisioner_webhook_events_applied") == 1)
            #expect(value("provisioner_webhooks_received_total{kind=\"event\"}") == 1)
            #expect(value("provisioner_webhooks_refused_total{reason=\"no_client\"}") == 1)
            #expect(value("provisioner_webhooks_refused_total{reason=\"bad_signature\"}") == 1)
            #expect(!text.contains(H.dashboardToken) && !text.contains(H.apiKey) && !text.contains(H.sharedSecret))

            // A second scrape sees the database as it is then.
            try await h.db.execute("UPDATE session_queue SET status = 'invalid' WHERE status = 'failed'")
            let again = try await h.get("/metrics", bearer: H.dashboardToken).body
            #expect(H.metric("provisioner_queue_rows{status=\"failed\"}", in: again) == 0)
            #expect(H.metric("provisioner_queue_rows{status=\"invalid\"}", in: again) == 2)
        }
    }

    @Test("health is up or down and says nothing else")
    func healthSaysLittle() async throws {
        try await H.run(try H.configuration()) { h in
            let answer = try await h.get("/healthz")
            #expect(answer.status == 200 && answer.body == "ok\n")
            var head = HTTPClientRequest(url: h.baseURL + "/healthz")
            head.method = .HEAD
            #expect(try await h.send(head).status == 200)
            #expect(try await h.post("/healthz", "{}").status == 405)
        }
    }
}
