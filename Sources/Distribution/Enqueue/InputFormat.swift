/// The formats `enqueue` reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// Comma-separated values with a header row of field names.
    case csv
    /// One JSON object per line.
    case jsonl

    /// The format a file name implies: `.csv`, or `.jsonl`/`.ndjson` (any letter case).
    public init?(path: String) {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".csv") {
            self = .csv
        } else if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            self = .jsonl
        } else {
            return nil
        }
    }
}
