import Foundation
import Postgres
import Provisioning
import SessionQueue
import TestSupport
import Testing
import VeriffAPI
import VeriffStandIn

@Suite("provisioning run against PostgreSQL and the stand-in", .timeLimit(.minutes(10)))
struct RunIntegrationTests {
    @Test("2,000 rows drain: every row provisioned with exactly the session the stand-in created")
    func drainsEveryRow() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 2000)
                try await withStandIn { standIn in
                    let summary = try await RunHarness.run(conninfo: conninfo, standIn: standIn)
                    #expect(summary.outcome == .completed)
                    #expect(summary.counts.provisioned == 2000)
                    #expect(try await RunHarness.statusCounts(db) == ["provisioned": 2000])

                    let stats = standIn.stats()
                    #expect(stats.sessionsCreated == 2000)
                    #expect(stats.duplicateVendorData == 0)
                    let created = Dictionary(
                        uniqueKeysWithValues: (stats.sessions ?? []).map { ($0.session.vendorData ?? "", $0.session) })
                    let rows = try await db.query(
                        """
                        SELECT id, coalesce(vendor_data, id::text) AS vendor, session_id, session_url, session_token,
                               session_host, session_status, expires_at - provisioned_at = interval '7 days' AS week,
                               attempts, in_doubt
                        FROM session_queue
                        """)
                    for row in rows {
                        let session = try #require(created[try row.decode("vendor")])
                        #expect(try row.decode("session_id") == session.id)
                        #expect(try row.decode("session_url") == session.url)
                        #expect(try row.decode("session_token", as: String?.self) == session.sessionToken)
                        #expect(try row.decode("session_host", as: String?.self) == session.host)
                        #expect(try row.decode("session_status") == "created")
                        #expect(try row.decode("week") == true)
                        #expect(try row.decode("attempts") == 1)
                        #expect(try row.decode("in_doubt") == false)
                    }
                    let logged = try await db.query(
                        "SELECT count(*) AS n FROM session_attempts WHERE outcome = 'created' AND session_id IS NOT NULL"
                    )
                    #expect(try logged[0].decode("n", as: Int.self) == 2000)
                    let run = try await db.query("SELECT outcome, provisioned FROM provisioner_runs")
                    #expect(try run[0].decode("outcome") == "completed")
                    #expect(try run[0].decode("provisioned") == 2000)
                }
            }
        }
    }

    @Test("with every fault on, each row ends provisioned, failed or pending with a retry time; none stays claimed")
    func survivesFaults() async throws {
        let faults = StandInFaults(
            rateLimitBurst: 0.01, rateLimitBurstLength: 3, internalError: 0.05, serviceUnavailableHTML: 0.05,
            connectionReset: 0.02, slowAnswer: 0.02, slowAnswerDelay: .seconds(3), brokenBody: 0.02)
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 400)
                try await withStandIn(StandInTesting.configuration(faults: faults)) { standIn in
                    let summary = try await RunHarness.run(
                        conninfo: conninfo, standIn: standIn, requestTimeout: .seconds(2)
                    ) { configuration in
                        configuration.retryHorizon = .seconds(2)
                        configuration.circuitBreaker = CircuitBreaker(threshold: 0.95)
                    }
                    #expect([.completed, .rowsFailed].contains(summary.outcome), "\(summary)")
                    let counts = try await RunHarness.statusCounts(db)
                    #expect(counts["claimed"] == nil)
                    #expect(counts.values.reduce(0, +) == 400)
                    let stranded = try await db.query(
                        """
                        SELECT count(*) AS n FROM session_queue
                        WHERE NOT (status IN ('provisioned', 'failed')
                                   OR (status = 'pending' AND next_attempt_at IS NOT NULL AND attempts > 0))
                        """)
                    #expect(try stranded[0].decode("n", as: Int.self) == 0)
                    #expect((counts["provisioned"] ?? 0) >= 380, "\(counts)")
                    // Every answer lost after sending left its row marked in doubt.
                    let doubtful = try await db.query(
                        """
                        SELECT count(*) FILTER (WHERE NOT q.in_doubt) AS unmarked, count(*) AS n
                        FROM session_attempts a JOIN session_queue q ON q.id = a.queue_id WHERE a.outcome = 'in_doubt'
                        """)
                    #expect(try doubtful[0].decode("unmarked", as: Int.self) == 0)
                    #expect(try doubtful[0].decode("n", as: Int.self) > 0)
                    #expect(summary.counts.rateLimited > 0)
                    #expect(summary.counts.retried > 0)
                }
            }
        }
    }

    @Test("a wrong API key stops the run: fatal outcome, no row changed, no attempt burned")
    func wrongKeyIsFatal() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 300)
                try await withStandIn { standIn in
                    let summary = try await RunHarness.run(
                        conninfo: conninfo, standIn: standIn, apiKey: "0b5e2f4a-0000-4000-8000-000000000000")
                    #expect(summary.outcome == .fatalAPIAnswer)
                    #expect(summary.message?.contains("key") == true, "\(summary.message ?? "")")
                    #expect(summary.message?.contains("0b5e2f4a") != true)
                    #expect(standIn.stats().sessionsCreated == 0)
                }
                // Claims were released with their attempt refunded: every row is as it was.
                let columns = try await db.query(
                    "SELECT count(*) FILTER (WHERE status <> 'pending' OR attempts <> 0 OR last_error IS NOT NULL) AS changed FROM session_queue"
                )
                #expect(try columns[0].decode("changed", as: Int.self) == 0)
            }
        }
    }

    @Test("rows that fail local validation become invalid, naming the field, and cost no request")
    func invalidRows() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 10)
                try await db.execute(
                    """
                    INSERT INTO session_queue (first_name, date_of_birth, consents) VALUES
                        ('Future', '2999-01-01', NULL), ('NoType', NULL, '[{"type": "", "approved": true}]')
                    """)
                try await withStandIn { standIn in
                    let summary = try await RunHarness.run(conninfo: conninfo, standIn: standIn)
                    #expect(summary.outcome == .rowsFailed)
                    #expect(summary.counts.invalid == 2)
                    #expect(standIn.stats().requestsByStatus.values.reduce(0, +) == 10)
                }
                let invalid = try await db.query(
                    "SELECT first_name, last_error FROM session_queue WHERE status = 'invalid' ORDER BY first_name")
                #expect(invalid.count == 2)
                #expect(try invalid[0].decode("last_error", as: String.self).hasPrefix("dateOfBirth:"))
                #expect(try invalid[1].decode("last_error", as: String.self).hasPrefix("consents:"))
            }
        }
    }

    @Test("rows inserted by plain SQL with control characters or oversized fields are invalid and never sent")
    func hostileRowsFromSQL() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 3)
                try await db.execute(
                    """
                    INSERT INTO session_queue (first_name, last_name, full_address, vendor_data) VALUES
                        ('Esc', E'\\x1b[2J', NULL, 'hostile-1'),
                        ('Huge', 'Address', repeat('Main Street 1, ', 700000), 'hostile-2'),
                        ('Del', 'Char', E'Pikk\\x7f 1', 'hostile-3'),
                        ('Tab', 'Ok', E'Pikk 1\\tTallinn\\nEE', 'fine-4')
                    """)
                try await withStandIn { standIn in
                    let summary = try await RunHarness.run(conninfo: conninfo, standIn: standIn)
                    #expect(summary.counts.invalid == 3)
                    #expect(summary.counts.provisioned == 4)
                    #expect(standIn.stats().requestsByStatus.values.reduce(0, +) == 4)
                }
                let invalid = try await db.query(
                    "SELECT vendor_data, last_error FROM session_queue WHERE status = 'invalid' ORDER BY vendor_data")
                #expect(
                    try invalid.map { try $0.decode("vendor_data", as: String.self) } == [
                        "hostile-1", "hostile-2", "hostile-3",
                    ])
                #expect(
                    try invalid[0].decode("last_error", as: String.self).hasPrefix("lastName: must not contain control")
                )
                #expect(
                    try invalid[1].decode("last_error", as: String.self).hasPrefix("fullAddress: must be at most 1024"))
                #expect(try invalid[2].decode("last_error", as: String.self).contains("U+007F"))
            }
        }
    }

    @Test("a row Veriff rejects fails with Veriff's code and message; the others go on")
    func rejectedRow() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 20)
                try await withStandIn { standIn in
                    standIn.force(status: 400, count: 1)
                    let summary = try await RunHarness.run(conninfo: conninfo, standIn: standIn)
                    #expect(summary.outcome == .rowsFailed)
                    #expect(summary.counts.failed == 1)
                    #expect(summary.counts.provisioned == 19)
                }
                let failed = try await db.query(
                    "SELECT last_error, last_error_code FROM session_queue WHERE status = 'failed'")
                #expect(failed.count == 1)
                #expect(try failed[0].decode("last_error", as: String.self).contains("HTTP 400"))
            }
        }
    }

    @Test("when Veriff keeps failing the breaker stops the run early; rows stay pending for the next run")
    func circuitBreaker() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 500)
                try await withStandIn(StandInTesting.configuration(faults: StandInFaults(internalError: 1))) {
                    standIn in
                    let summary = try await RunHarness.run(conninfo: conninfo, standIn: standIn)
                    #expect(summary.outcome == .veriffUnavailable)
                    #expect(summary.message?.contains("unavailable") == true)
                    // It stopped after a few dozen requests, not after trying every row.
                    #expect(standIn.stats().requests(status: 500) < 200)
                }
                let counts = try await RunHarness.statusCounts(db)
                #expect(counts == ["pending": 500])
            }
        }
    }

    @Test("after a 429 with Retry-After, no request is sent before that time has passed")
    func honoursRetryAfter() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                try await RunHarness.insertRows(db, count: 30)
                try await withStandIn { standIn in
                    standIn.force429(count: 1, retryAfter: "2")
                    let before = ContinuousClock.now - standIn.startInstant
                    let summary = try await RunHarness.run(conninfo: conninfo, standIn: standIn, ratePerMinute: 600)
                    #expect(summary.counts.provisioned == 30)
                    #expect(summary.counts.rateLimited == 1)
                    let arrivals = (standIn.stats().sessions ?? []).map(\.arrival)
                    let first = try #require(arrivals.min())
                    #expect(first >= before + .seconds(2), "first session \(first - before) after the start")
                }
            }
        }
    }

    @Test("a stop request finishes in-flight requests, writes everything back and releases the rest")
    func gracefulStop() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await TestDatabase.withConnection(conninfo) { db in
                // 600 rows at 20/s: the run is still busy when the stop comes, however slow the machine is.
                try await RunHarness.insertRows(db, count: 600)
                var configuration = StandInTesting.configuration()
                configuration.latencyMean = .milliseconds(100)
                try await withStandIn(configuration) { standIn in
                    let control = RunControl()
                    async let summary = RunHarness.run(
                        conninfo: conninfo, standIn: standIn, ratePerMinute: 1200, control: control)
                    try await RunHarness.waitForSessions(standIn, atLeast: 10)
                    control.requestStop(.signal)
                    let result = try await summary
                    #expect(result.outcome == .interrupted)
                    #expect(result.counts.provisioned > 0 && result.counts.provisioned < 600)
                    #expect(standIn.stats().sessionsCreated == result.counts.provisioned)
                }
                let counts = try await RunHarness.statusCounts(db)
                #expect(counts["claimed"] == nil)
                #expect((counts["provisioned"] ?? 0) + (counts["pending"] ?? 0) == 600)
                let pending = try await db.query(
                    "SELECT count(*) FILTER (WHERE attempts <> 0 OR in_doubt) AS touched FROM session_queue WHERE status = 'pending'"
                )
                #expect(try pending[0].decode("touched", as: Int.self) == 0)
            }
        }
    }
}
