import SessionQueue

extension QueueOperationResult {
    /// The most rows listed one per line in each part (changed, skipped); the rest are counted.
    static let listedRows = 50

    /// For a person: how many rows changed (from which status), each row, and each row left alone with the reason.
    var text: String {
        let verb = dryRun ? "would \(action.rawValue)" : action.pastTense
        var lines: [String] = []
        if dryRun { lines.append("dry run: nothing changed") }
        let noun = changed.count == 1 ? "row" : "rows"
        var byStatus: [QueueRowStatus: Int] = [:]
        for change in changed { byStatus[change.from, default: 0] += 1 }
        let from = QueueRowStatus.allCases.compactMap { status in
            byStatus[status].map { "\(status.rawValue) → \(action.target.rawValue): \($0)" }
        }
        lines.append(
            "\(verb) \(changed.count) \(noun)" + (from.isEmpty ? "" : " (\(from.joined(separator: ", ")))")
                + " as \(actor) (database role \(databaseUser))")
        for change in changed.prefix(Self.listedRows) {
            var line = "  row \(change.id): \(change.from.rawValue) → \(change.to.rawValue)"
            if change.wasInDoubt && !change.inDoubt { line += " (in doubt cleared)" }
            if change.inDoubt && !change.wasInDoubt { line += " (now in doubt: its runner stopped holding it)" }
            lines.append(line)
        }
        if changed.count > Self.listedRows { lines.append("  ... and \(changed.count - Self.listedRows) more") }
        if !skipped.isEmpty {
            lines.append("left alone: \(skipped.count) \(skipped.count == 1 ? "row" : "rows")")
            for skip in skipped.prefix(Self.listedRows) {
                lines.append("  row \(skip.id)\(skip.status.map { " (\($0.rawValue))" } ?? ""): \(skip.reason)")
            }
            if skipped.count > Self.listedRows { lines.append("  ... and \(skipped.count - Self.listedRows) more") }
        }
        return lines.joined(separator: "\n")
    }
}
