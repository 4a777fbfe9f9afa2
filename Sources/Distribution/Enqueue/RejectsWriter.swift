import SafeFiles

/// The rejects file of `enqueue --skip-invalid`: each refused row's original fields plus `line` and `reason`, as
/// CSV, written atomically with mode 0600 (it holds personal data).
///
/// Cells are written as they were read (no formula protection), so the corrected file can be enqueued again.
final class RejectsWriter {
    let path: String
    private let header: [String]
    private var file: AtomicFile?

    init(path: String, header: [String]) {
        self.path = path
        self.header = header
    }

    /// Appends one rejected row; the file is created at the first.
    /// - Throws: ``OutputFileError``.
    func write(_ row: InputRow) throws {
        if file == nil {
            let created = try AtomicFile(path: path)
            try created.write(CSVRow.format(header + ["line", "reason"]))
            file = created
        }
        var fields = row.original
        if fields.count < header.count { fields += Array(repeating: "", count: header.count - fields.count) }
        let reason = row.problems.map { problem in
            problem.field.map { "\($0): \(problem.problem)" } ?? problem.problem
        }.joined(separator: "; ")
        try file?.write(CSVRow.format(fields + [String(row.line), reason]))
    }

    /// Renames the file into place.
    func commit() throws { try file?.commit() }

    /// Removes the temporary file.
    func discard() { file?.discard() }
}
