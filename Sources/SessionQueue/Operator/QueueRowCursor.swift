/// Where a page of rows ends, for the next page (keyset pagination): the last row's `updated_at`, in microseconds
/// since 1970 (exact, as PostgreSQL keeps it), and its id. Rows come newest change first, so the next page holds
/// the rows strictly before this pair.
///
/// Written `<microseconds>.<id>` in a URL (``text``): digits only, so it is safe to echo back.
public struct QueueRowCursor: Sendable, Hashable, CustomStringConvertible {
    /// The row's `updated_at`, microseconds since 1970-01-01 UTC.
    public var updatedAtMicroseconds: Int64
    /// The row's id.
    public var id: Int64

    public init(updatedAtMicroseconds: Int64, id: Int64) {
        self.updatedAtMicroseconds = updatedAtMicroseconds
        self.id = id
    }

    /// Parses ``text``; `nil` for anything else (a sign, spaces, more than 19 digits a part, a missing part).
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 19 && $0.allSatisfy { $0 >= "0" && $0 <= "9" } }),
            let micros = Int64(parts[0]), let id = Int64(parts[1])
        else { return nil }
        self.init(updatedAtMicroseconds: micros, id: id)
    }

    /// `<microseconds>.<id>`.
    public var text: String { "\(updatedAtMicroseconds).\(id)" }

    public var description: String { text }
}
