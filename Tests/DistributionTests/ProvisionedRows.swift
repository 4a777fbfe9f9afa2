import Postgres
import TestSupport

/// Puts provisioned sessions into a test database, as a run would have left them.
enum ProvisionedRows {
    /// Inserts `count` provisioned rows; returns their ids in order.
    @discardableResult
    static func insert(
        _ conninfo: String, count: Int, firstName: String = "Jane", vendorPrefix: String = "ref",
        url: (Int) -> String = { "https://alchemy.veriff.com/v/token-\($0)" }, expiresIn: String = "7 days"
    ) async throws -> [Int64] {
        try await TestDatabase.withConnection(conninfo) { db in
            var ids: [Int64] = []
            for index in 1...count {
                let rows = try await db.query(
                    """
                    INSERT INTO session_queue (first_name, last_name, email, vendor_data, status, session_id,
                        session_url, session_token, provisioned_at, expires_at)
                    VALUES ($1, 'Doe', $2, $3, 'provisioned', $4, $5, $6, now(), now() + $7::interval)
                    RETURNING id
                    """,
                    [
                        firstName, "user\(index)@example.com", "\(vendorPrefix)-\(index)", "session-\(index)",
                        url(index), "secret-token-\(index)", expiresIn,
                    ])
                ids.append(try rows[0].decode("id"))
            }
            return ids
        }
    }
}
