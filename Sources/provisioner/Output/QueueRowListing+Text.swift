import Foundation
import SessionQueue

extension QueueRowListing {
    /// For a person: a header saying how many rows matched, then one aligned line per row. Long last errors and
    /// vendorData are shortened (`--json` has them whole).
    var text: String {
        let names = states.map(\.name).joined(separator: ", ")
        let window = since.map { " changed since \(ISO8601DateFormatter().string(from: $0))" } ?? ""
        guard !rows.isEmpty else { return "no rows (\(names))\(window)" }
        var lines = [
            "\(rows.count) of \(matching) rows (\(names))\(window), most recently changed first"
                + (matching > rows.count ? "; --limit shows more" : "")
        ]
        let formatter = ISO8601DateFormatter()
        let table: [[String]] =
            [["ID", "STATUS", "DOUBT", "ATTEMPTS", "NEXT ATTEMPT", "UPDATED", "VENDOR DATA", "LAST ERROR"]]
            + rows.map { row in
                [
                    String(row.id), row.status.rawValue, row.inDoubt ? "yes" : "-", String(row.attempts),
                    row.status == .pending ? formatter.string(from: row.nextAttemptAt) : "-",
                    formatter.string(from: row.updatedAt), Self.shortened(row.vendorData ?? "-", to: 24),
                    Self.shortened(
                        (row.lastErrorCode.map { "[\($0)] " } ?? "") + (row.lastError ?? "")
                            + (row.claimedBy.map { " claimed by \($0)" } ?? ""), to: 100),
                ]
            }
        let widths = (0..<table[0].count).map { column in table.map { $0[column].count }.max() ?? 0 }
        for cells in table {
            let padded = cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            lines.append(padded.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }

    /// One line of at most `length` characters (newlines folded).
    static func shortened(_ text: String, to length: Int) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= length ? line : String(line.prefix(length - 1)) + "…"
    }
}
