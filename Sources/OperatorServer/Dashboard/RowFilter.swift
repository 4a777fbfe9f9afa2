import SessionQueue

/// Which rows that need a person the dashboard lists: all of them, or one state (`?state=` in the URL).
enum RowFilter: String, Sendable, Hashable, CaseIterable {
    case all
    case failed
    case held
    case inDoubt = "in-doubt"

    /// Parses `?state=`; `nil` for anything else (the page then lists all).
    init?(name: String) {
        self.init(rawValue: name.lowercased() == "in_doubt" ? "in-doubt" : name.lowercased())
    }

    /// The states listed.
    var states: [QueueRowState] {
        switch self {
        case .all: QueueRowState.needingAttention
        case .failed: [.status(.failed)]
        case .held: [.status(.held)]
        case .inDoubt: [.inDoubt]
        }
    }

    /// The tab's label.
    var label: String {
        switch self {
        case .all: "All"
        case .failed: "Failed"
        case .held: "Held"
        case .inDoubt: "In doubt"
        }
    }

    /// The page of this filter, from its start or from `cursor`.
    func path(after cursor: QueueRowCursor? = nil) -> String {
        "/?state=\(rawValue)" + (cursor.map { "&after=\($0.text)" } ?? "")
    }
}
