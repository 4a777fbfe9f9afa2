import VeriffAPI

/// One row of the input, read, normalised and checked.
struct InputRow {
    /// The physical line on which the row starts.
    var line: Int
    /// The normalised end-user; `nil` when the row has problems.
    var user: EndUser?
    var problems: [RowProblem]
    /// The row as it was in the file, for the rejects file.
    var original: [String]

    /// Normalises `user` and applies the shared validation rules on top of the problems found while reading.
    static func checked(line: Int, user: EndUser, readingProblems: [RowProblem], original: [String]) -> InputRow {
        let normalized = user.normalized()
        let problems =
            readingProblems
            + normalized.violations().map { RowProblem(line: line, field: $0.field, problem: $0.problem) }
        return InputRow(line: line, user: problems.isEmpty ? normalized : nil, problems: problems, original: original)
    }
}

/// Where rows come from: a CSV or a JSONL file.
protocol EndUserSource: AnyObject {
    /// The columns of the rejects file before `line` and `reason`.
    var rejectsHeader: [String] { get }
    /// The next non-blank row, or `nil` at the end of the input.
    func next() throws -> InputRow?
}
