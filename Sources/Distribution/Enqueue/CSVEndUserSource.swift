import VeriffAPI

/// End-users from a CSV file with a header row of Veriff field names.
final class CSVEndUserSource: EndUserSource {
    private enum Column {
        case field(EndUserField)
        /// `line` and `reason`: the columns a rejects file adds, so a corrected rejects file can be imported again.
        case ignored
    }

    private let reader: CSVRecordReader
    private let columns: [Column]
    let rejectsHeader: [String]

    /// Reads and checks the header row.
    /// - Parameters:
    ///   - file: The input.
    ///   - maxRecordBytes: The longest record read; a longer one is an invalid row (the header: an error).
    /// - Throws: ``EnqueueError`` for an empty file, a missing header or an unknown or repeated column.
    init(file: InputFile, maxRecordBytes: Int) throws {
        let reader = CSVRecordReader(file: file, maxRecordBytes: maxRecordBytes)
        guard let header = try reader.next() else { throw EnqueueError.missingHeader(file.path, found: nil) }
        if let problem = header.problem { throw EnqueueError.badHeader(file.path, line: header.line, problem: problem) }
        var columns: [Column] = []
        var seen: [String: String] = [:]
        var unknown: [String] = []
        for name in header.fields {
            if let field = EndUserField.named(name) {
                if let earlier = seen[field.name] {
                    throw EnqueueError.badHeader(
                        file.path, line: header.line,
                        problem: "columns \"\(earlier)\" and \"\(name)\" both name \(field.name)")
                }
                seen[field.name] = name
                columns.append(.field(field))
            } else if ["line", "reason"].contains(EndUserField.key(name)) {
                columns.append(.ignored)
            } else {
                unknown.append(name)
                columns.append(.ignored)
            }
        }
        if seen.isEmpty { throw EnqueueError.missingHeader(file.path, found: header.fields.first) }
        if let name = unknown.first { throw EnqueueError.unknownColumn(file.path, name: name) }
        self.reader = reader
        self.columns = columns
        self.rejectsHeader = header.fields.filter { !["line", "reason"].contains(EndUserField.key($0)) }
    }

    func next() throws -> InputRow? {
        guard let record = try reader.next() else { return nil }
        let original = zip(columns, record.fields).compactMap { column, value -> String? in
            if case .ignored = column { return nil }
            return value
        }
        if let problem = record.problem {
            return InputRow(
                line: record.line, user: nil, problems: [RowProblem(line: record.line, field: nil, problem: problem)],
                original: original)
        }
        guard record.fields.count == columns.count else {
            let problem = "has \(record.fields.count) fields but the header has \(columns.count)"
            return InputRow(
                line: record.line, user: nil, problems: [RowProblem(line: record.line, field: nil, problem: problem)],
                original: record.fields)
        }
        var user = EndUser()
        var problems: [RowProblem] = []
        for (column, value) in zip(columns, record.fields) {
            guard case .field(let field) = column else { continue }
            if let problem = user.set(field, text: value) {
                problems.append(RowProblem(line: record.line, field: field.name, problem: problem))
            }
        }
        return InputRow.checked(line: record.line, user: user, readingProblems: problems, original: original)
    }
}
