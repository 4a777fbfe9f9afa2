/// One numbered schema change from `sql/NNN_name.sql`.
public struct Migration: Sendable, Hashable {
    /// The number in the file name; migrations apply in this order.
    public var version: Int
    /// The rest of the file name, e.g. `session_queue`.
    public var name: String
    /// The file's SQL, run in one transaction.
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A stable fingerprint of the SQL (64-bit FNV-1a, hex), to notice a file edited after it was applied.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
