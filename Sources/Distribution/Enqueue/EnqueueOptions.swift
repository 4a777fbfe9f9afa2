/// How `enqueue` treats a file.
public struct EnqueueOptions: Sendable {
    /// The input format. Defaults to `nil`: told from the file name.
    public var format: InputFormat?
    /// Import the valid rows and write the invalid ones to ``rejectsPath``. Defaults to false: any invalid row
    /// means nothing is imported.
    public var skipInvalid = false
    /// Validate and count, write nothing (no rows, no rejects file). Defaults to false.
    public var dryRun = false
    /// Where `skipInvalid` writes rejected rows. Defaults to `nil`: `<input>.rejects.csv` next to the input.
    public var rejectsPath: String?
    /// How many problems the report lists in full; the rest are counted. Defaults to 50.
    public var reportedProblemLimit = 50
    /// The most bytes one CSV record or JSONL line may hold; a longer one is an invalid row, and is never held in
    /// memory. Defaults to ``defaultMaxRecordBytes`` (64 KiB: many times the largest valid end-user).
    public var maxRecordBytes = EnqueueOptions.defaultMaxRecordBytes

    /// 64 KiB.
    public static let defaultMaxRecordBytes = 64 * 1024

    public init(
        format: InputFormat? = nil, skipInvalid: Bool = false, dryRun: Bool = false, rejectsPath: String? = nil
    ) {
        self.format = format
        self.skipInvalid = skipInvalid
        self.dryRun = dryRun
        self.rejectsPath = rejectsPath
    }

    /// The rejects file for `input`.
    public func rejectsPath(for input: String) -> String { rejectsPath ?? input + ".rejects.csv" }
}
