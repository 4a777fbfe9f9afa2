import Foundation
import Postgres
import SessionQueue
import TestSupport
import Testing

/// The dashboard's pages of rows that need a person: keyset pagination by (updated_at, id), newest change first.
@Suite("Queue operator: pages of rows by keyset cursor", .timeLimit(.minutes(10)))
struct QueueRowPageTests {
    /// Every page of `states` at `limit` rows, following the cursors.
    static func allPages(_ pool: PostgresConnectionPool, _ states: [QueueRowState], limit: Int) async throws
        -> [QueueRowPage]
    {
        var pages: [QueueRowPage] = []
        var cursor: QueueRowCursor?
        repeat {
            let page = try await QueueOperator(pool: pool).page(in: states, after: cursor, limit: limit)
            pages.append(page)
            cursor = page.next
        } while cursor != nil && pages.count < 1000
        return pages
    }

    @Test("every failed, held and in-doubt row once across pages, in order, ties broken by id; others never")
    func everyRowOnce() async throws {
        try await TestDatabase.withFresh { conninfo in
            // 97 rows in four states; groups of six share one updated_at to the microsecond.
            let expected: [Int64: String] = try await TestDatabase.withConnection(conninfo) { db in
                let rows = try await db.query(
                    """
                    INSERT INTO session_queue (email, status, in_doubt, last_error, updated_at)
                    SELECT 'p' || g || '@example.com',
                           (ARRAY['failed', 'held', 'pending', 'cancelled'])[1 + g % 4], g % 5 = 0, 'error ' || g,
                           timestamptz '2026-01-01 12:00:00.123456+00' + (g / 6) * interval '1 millisecond'
                    FROM generate_series(1, 97) g
                    RETURNING id, status, in_doubt
                    """)
                var needing: [Int64: String] = [:]
                for row in rows {
                    let status: String = try row.decode("status")
                    let inDoubt: Bool = try row.decode("in_doubt")
                    if status == "failed" || status == "held" || (inDoubt && status != "cancelled") {
                        needing[try row.decode("id")] = status
                    }
                }
                return needing
            }
            try await TestDatabase.withPool(conninfo, maximum: 1) { pool in
                for limit in [1, 7, 50, 500] {
                    let pages = try await Self.allPages(pool, QueueRowState.needingAttention, limit: limit)
                    let ids = pages.flatMap { $0.rows.map(\.id) }
                    #expect(ids.count == expected.count, "limit \(limit)")
                    #expect(Set(ids) == Set(expected.keys), "limit \(limit)")
                    #expect(pages.dropLast().allSatisfy { $0.rows.count == limit }, "limit \(limit)")
                    #expect(pages.last?.next == nil)
                    // Newest change first; within one instant, the higher id first.
                    let order = pages.flatMap { $0.rows.map { ($0.updatedAt, $0.id) } }
                    #expect(zip(order, order.dropFirst()).allSatisfy { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) })
                }
                let failed = try await Self.allPages(pool, [.status(.failed)], limit: 5).flatMap { $0.rows }
                #expect(Set(failed.map(\.id)) == Set(expected.filter { $0.value == "failed" }.keys))
                #expect(failed.allSatisfy { $0.lastError?.hasPrefix("error ") == true })
            }
        }
    }

    @Test("a cursor is digits.digits; anything else is refused")
    func cursorText() {
        #expect(
            QueueRowCursor(text: "1767268800123456.42")
                == QueueRowCursor(updatedAtMicroseconds: 1_767_268_800_123_456, id: 42))
        #expect(QueueRowCursor(updatedAtMicroseconds: 5, id: 7).text == "5.7")
        for hostile in [
            "", ".", "1.", ".1", "-1.2", "1.-2", "1.2.3", " 1.2", "1 .2", "a.b", "1e3.2", "99999999999999999999.1",
            "1;DROP TABLE session_queue.2", "１.２",
        ] {
            #expect(QueueRowCursor(text: hostile) == nil, "\(hostile)")
        }
    }
}
