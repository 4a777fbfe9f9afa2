/// A state operators select rows by: one of the row statuses, or "in doubt" (a flag across statuses).
///
/// Written `pending`, `claimed`, `provisioned`, `failed`, `invalid`, `held`, `cancelled` or `in-doubt` (also
/// `in_doubt`), as `provisioner rows --status` and the JSON outputs spell them.
public enum QueueRowState: Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Rows whose `status` is this.
    case status(QueueRowStatus)
    /// Rows whose request may have created a session whose answer was lost, and which no person has settled yet:
    /// `in_doubt` and neither `provisioned` nor `cancelled` (``inDoubtCondition``).
    case inDoubt

    /// What `status` counts as "in doubt", and `rows --status in-doubt` lists: the flag, on a row that is neither
    /// provisioned (it has its session) nor cancelled (a person settled it).
    public static let inDoubtCondition = "(in_doubt AND status NOT IN ('provisioned', 'cancelled'))"

    /// The default selection of `provisioner rows`: what needs a person (failed, held, in doubt).
    public static let needingAttention: [QueueRowState] = [.status(.failed), .status(.held), .inDoubt]

    public static var allCases: [QueueRowState] { QueueRowStatus.allCases.map(Self.status) + [.inDoubt] }

    /// Parses `failed`, `in-doubt`, `in_doubt`, ... (case-insensitive); `nil` for anything else.
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "in-doubt" || lowered == "in_doubt" {
            self = .inDoubt
        } else if let status = QueueRowStatus(rawValue: lowered) {
            self = .status(status)
        } else {
            return nil
        }
    }

    /// `failed`, ..., `in-doubt`.
    public var name: String {
        switch self {
        case .status(let status): status.rawValue
        case .inDoubt: "in-doubt"
        }
    }

    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let state = Self(name: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a row state: \(text)"))
        }
        self = state
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
