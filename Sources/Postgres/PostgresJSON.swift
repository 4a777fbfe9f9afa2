/// A `json`/`jsonb` value carried as its text, so the caller chooses how to encode and decode it.
public struct PostgresJSON: Sendable, Hashable {
    public var text: String

    public init(_ text: String) {
        self.text = text
    }
}
