/// The formats `export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header row; cells that a spreadsheet would run as formulas are prefixed with `'`.
    case csv
    /// One JSON object per line, keys as the CSV header names them.
    case jsonl
}
