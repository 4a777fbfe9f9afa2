/// What `enqueue` did (or, for a dry run or a refused file, would have done).
public struct EnqueueReport: Sendable, Hashable, CustomStringConvertible {
    /// Non-blank rows read.
    public var rowsRead = 0
    /// Rows that passed validation.
    public var valid = 0
    /// Valid rows inserted into the queue (or that would be, in a dry run).
    public var enqueued = 0
    /// Valid rows skipped because the queue already holds the end-user.
    public var alreadyQueued = 0
    /// Valid rows skipped because an earlier row of the same file is the same end-user.
    public var duplicatesInFile = 0
    /// Rows with at least one problem.
    public var invalid = 0
    /// The first problems found (up to the options' limit), in file order.
    public var problems: [RowProblem] = []
    /// Every problem found, including those not listed.
    public var problemCount = 0
    /// Whether the rows were written to the queue (false for a dry run or a file with invalid rows).
    public var committed = false
    /// The rejects file written, if any.
    public var rejectsPath: String?

    public init() {}

    /// `12 rows read, 9 enqueued, 1 already queued, 1 duplicate in the file, 1 rejected`.
    public var description: String {
        var parts = ["\(rowsRead) rows read"]
        parts.append(committed ? "\(enqueued) enqueued" : "\(enqueued) would be enqueued")
        parts.append("\(alreadyQueued) already queued")
        if duplicatesInFile > 0 {
            parts.append("\(duplicatesInFile) duplicate\(duplicatesInFile == 1 ? "" : "s") in the file")
        }
        parts.append("\(invalid) \(committed ? "rejected" : "invalid")")
        return parts.joined(separator: ", ")
    }
}
