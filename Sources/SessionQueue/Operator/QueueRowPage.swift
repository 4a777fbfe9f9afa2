/// One page of the rows that need a person (or of one such state), newest change first, and where the next page
/// starts.
public struct QueueRowPage: Sendable, Hashable {
    /// The states listed.
    public var states: [QueueRowState]
    /// The rows, most recently changed first (at most the page size).
    public var rows: [QueueRowSummary]
    /// Where the next page starts; `nil` on the last page.
    public var next: QueueRowCursor?

    public init(states: [QueueRowState], rows: [QueueRowSummary], next: QueueRowCursor?) {
        self.states = states
        self.rows = rows
        self.next = next
    }
}
