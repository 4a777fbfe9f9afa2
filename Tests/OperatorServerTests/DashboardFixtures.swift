import Foundation
import Postgres
import TestSupport

/// A queue as an operator finds it mid-onboarding: rows in every state (every row carries a session url and token,
/// so a page that leaked one is caught), runs that ended in different ways and one working now, created attempts
/// spread over several minutes, a few 429s, and Veriff's decisions on the provisioned rows.
enum DashboardFixtures {
    /// What a page over the seeded queue must show (also handed to the browser test as JSON).
    struct Seed: Codable, Sendable {
        /// Rows by status, and `in-doubt`.
        var counts: [String: Int]
        /// Minutes with at least one session created in the last 24 hours: the day chart's points.
        var dayPoints: Int
        /// Sessions created in the last 24 hours.
        var dayTotal: Int
        /// The latest run (working now) and its minutes with sessions created.
        var latestRun: Int64
        var runPoints: Int
        /// The cap the page measures against (the latest run's), as the page writes it.
        var cap: String
        /// A failed row, its last error, and rows listed as failed.
        var failedRow: Int64
        var failedError: String
        var failedRows: [Int64]
        /// Decisions as the funnel shows them.
        var approved: Int
        var declined: Int
        /// Text that must never appear on a page (the rows' session urls and tokens).
        var secrets: [String]
        /// Provisioned rows without a decision yet, for webhooks the test posts itself.
        var undecided: [String]
    }

    static func token(_ index: Int) -> String { "SECRET-TOKEN-\(index)-do-not-print" }
    static func url(_ index: Int) -> String { "https://alchemy.veriff.com/v/SECRET-URL-\(index)-do-not-print" }

    /// Seeds the queue; the database must be fresh (migrated, empty).
    static func seed(_ db: PostgresConnection) async throws -> Seed {
        // Rows: every column an operator must never see on a page is filled in on every row.
        try await db.execute(
            """
            INSERT INTO session_queue (first_name, last_name, email, vendor_data, status, in_doubt, attempts,
                last_error, last_error_code, next_attempt_at, claimed_by, lease_expires_at, session_id, session_url,
                session_token, session_status, provisioned_at, expires_at, updated_at)
            SELECT 'First' || g, 'Last' || g, 'person' || g || '@example.com', 'crm-' || lpad(g::text, 5, '0'), s.status,
                   s.in_doubt, s.attempts, s.last_error, s.last_error_code, now() + s.due * interval '1 second',
                   CASE WHEN s.status = 'claimed' THEN 'build-7:4242:9f1c' END,
                   CASE WHEN s.status = 'claimed' THEN now() + interval '5 minutes' END,
                   'sess-' || g, 'https://alchemy.veriff.com/v/SECRET-URL-' || g || '-do-not-print',
                   'SECRET-TOKEN-' || g || '-do-not-print', s.session_status,
                   CASE WHEN s.status = 'provisioned' THEN now() - g * interval '20 seconds' END,
                   CASE WHEN s.status = 'provisioned' THEN now() + interval '7 days' END,
                   now() - (400 - g) * interval '7 seconds'
            FROM generate_series(1, 300) g
            CROSS JOIN LATERAL (SELECT
                CASE WHEN g <= 160 THEN 'pending' WHEN g <= 164 THEN 'claimed' WHEN g <= 250 THEN 'provisioned'
                     WHEN g <= 258 THEN 'failed' WHEN g <= 261 THEN 'invalid' WHEN g <= 264 THEN 'held'
                     WHEN g <= 266 THEN 'cancelled' ELSE 'pending' END AS status,
                g IN (150, 151, 262, 263) AS in_doubt,
                CASE WHEN g BETWEEN 251 AND 258 THEN 8 WHEN g BETWEEN 140 AND 149 THEN 2 ELSE 1 END AS attempts,
                CASE WHEN g BETWEEN 251 AND 254
                          THEN 'Veriff refused the data (HTTP 400, code 1102): Mandatory parameters are missing from the request.'
                     WHEN g BETWEEN 255 AND 256
                          THEN 'Veriff refused the data (HTTP 400, code 1104): Request includes invalid parameters: document.country.'
                     WHEN g BETWEEN 257 AND 258
                          THEN 'gave up after 8 attempts: Veriff answered HTTP 503 Service Unavailable'
                     WHEN g BETWEEN 259 AND 261 THEN 'dateOfBirth: not a date (1985-13-40)'
                     WHEN g BETWEEN 140 AND 149 THEN 'Veriff answered HTTP 502 Bad Gateway; retrying'
                     WHEN g IN (150, 151, 262, 263) THEN 'no answer within 30 s: the session may exist (in doubt)'
                END AS last_error,
                CASE WHEN g BETWEEN 251 AND 254 THEN '1102' WHEN g BETWEEN 255 AND 256 THEN '1104'
                     WHEN g BETWEEN 257 AND 258 THEN 'transient' WHEN g BETWEEN 259 AND 261 THEN 'invalid'
                     WHEN g BETWEEN 140 AND 149 THEN 'transient'
                     WHEN g IN (150, 151, 262, 263) THEN 'in_doubt' END AS last_error_code,
                CASE WHEN g BETWEEN 140 AND 149 THEN 1200 ELSE 0 END AS due,
                CASE WHEN g BETWEEN 165 AND 250 THEN
                    (ARRAY['approved', 'approved', 'approved', 'approved', 'approved', 'declined', 'submitted',
                           'started', 'resubmission_requested', 'review', 'expired', 'abandoned', 'created', NULL,
                           NULL, 'approved', 'approved', 'declined', 'approved', 'started'])[1 + g % 20]
                END AS session_status
            ) s
            """)
        // Runs: one completed, one that left failed rows, one crashed, and one working now (cap 30/min).
        try await db.execute(
            """
            INSERT INTO provisioner_runs (runner_id, host, pid, started_at, heartbeat_at, finished_at, outcome,
                cap_per_minute, claimed, provisioned, failed, invalid, retried, rate_limited, in_doubt, message)
            VALUES
              ('r1', 'build-7', 3111, now() - interval '26 hours', now() - interval '25 hours',
               now() - interval '25 hours', 'completed', 30, 40, 40, 0, 0, 1, 0, 0, NULL),
              ('r2', 'build-7', 3190, now() - interval '95 minutes', now() - interval '80 minutes',
               now() - interval '80 minutes', 'rows_failed', 30, 310, 290, 8, 3, 12, 2, 0,
               '8 rows failed, 3 invalid: see provisioner rows'),
              ('r3', 'build-9', 802, now() - interval '60 minutes', now() - interval '52 minutes',
               now() - interval '40 minutes', 'crashed', 30, 120, 115, 0, 0, 0, 0, 2,
               'no heartbeat since ' || (now() - interval '52 minutes')::text),
              ('build-7:4242:9f1c', 'build-7', 4242, now() - interval '13 minutes', now(), NULL, 'running', 30, 300,
               262, 0, 0, 3, 1, 0, NULL)
            """)
        let latestRun: Int64 = try await db.query("SELECT max(id) AS id FROM provisioner_runs")[0].decode("id")
        // Created attempts, whole past minutes only (a minute still under way is left out, so the counts hold
        // however long the test takes): run 2 from 94 to 81 minutes ago, run 3 from 59 to 53, the working run from
        // 12 to 1 minute ago; a few per minute below the cap, and some 429s.
        try await db.execute(
            """
            INSERT INTO session_attempts (queue_id, run_id, attempt, started_at, duration_ms, outcome, http_status,
                                          session_id)
            SELECT (SELECT min(id) FROM session_queue WHERE status = 'provisioned'), r.id, 1,
                   date_trunc('minute', now()) - m.ago * interval '1 minute' + i * interval '1.8 seconds', 180,
                   'created', 201, 'sess-x'
            FROM (VALUES (2, 94, 81), (3, 59, 53), (4, 12, 1)) AS spans(run, first, last)
            JOIN provisioner_runs r ON r.id = (SELECT id FROM provisioner_runs ORDER BY id OFFSET spans.run - 1 LIMIT 1)
            CROSS JOIN LATERAL generate_series(spans.last, spans.first) AS m(ago)
            CROSS JOIN LATERAL generate_series(0, 21 + (m.ago * 7) % 8) AS i
            """)
        try await db.execute(
            """
            INSERT INTO session_attempts (queue_id, run_id, attempt, started_at, duration_ms, outcome, http_status)
            SELECT (SELECT min(id) FROM session_queue), $1, 1, date_trunc('minute', now()) - interval '7 minutes', 40,
                   'rate_limited', 429
            FROM generate_series(1, 3)
            """, [latestRun])
        func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
            try await db.query(sql, parameters)[0].decode("n")
        }
        var counts: [String: Int] = [:]
        for row in try await db.query("SELECT status, count(*) AS n FROM session_queue GROUP BY status") {
            counts[try row.decode("status")] = try row.decode("n")
        }
        for status in ["pending", "claimed", "provisioned", "failed", "invalid", "held", "cancelled"] {
            counts[status, default: 0] += 0
        }
        counts["in-doubt"] = try await count(
            "SELECT count(*) AS n FROM session_queue WHERE in_doubt AND status NOT IN ('provisioned', 'cancelled')")
        let created = "FROM session_attempts WHERE outcome = 'created' AND started_at >= now() - interval '24 hours'"
        let failed = try await db.query(
            "SELECT id, last_error FROM session_queue WHERE status = 'failed' ORDER BY id")
        let failedRow: Int64 = try failed[0].decode("id")
        return Seed(
            counts: counts,
            dayPoints: try await count("SELECT count(DISTINCT date_trunc('minute', started_at)) AS n \(created)"),
            dayTotal: try await count("SELECT count(*) AS n \(created)"),
            latestRun: latestRun,
            runPoints: try await count(
                """
                SELECT count(DISTINCT date_trunc('minute', started_at)) AS n FROM session_attempts
                WHERE outcome = 'created' AND run_id = $1
                """, [latestRun]),
            cap: "30", failedRow: failedRow, failedError: try failed[0].decode("last_error"),
            failedRows: try failed.map { try $0.decode("id") },
            approved: try await count("SELECT count(*) AS n FROM session_queue WHERE session_status = 'approved'"),
            declined: try await count("SELECT count(*) AS n FROM session_queue WHERE session_status = 'declined'"),
            secrets: (1...300).flatMap { [token($0), url($0)] } + ["SECRET-TOKEN", "SECRET-URL", "do-not-print"],
            undecided: try await db.query(
                """
                SELECT session_id FROM session_queue WHERE status = 'provisioned' AND session_status IS NULL
                ORDER BY id
                """
            ).map { try $0.decode("session_id") })
    }
}
