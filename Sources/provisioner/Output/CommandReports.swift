import Distribution
import SessionQueue

/// The `--json` outputs of the one-shot commands whose library result is not itself the output (each documented in
/// README.md, "JSON output"): `enqueue`, `export`, `qr`, `migrate`, `renew`.
enum CommandReports {
    /// `enqueue --json`.
    struct Enqueue: Encodable {
        struct Problem: Encodable {
            var line: Int
            var field: String?
            var problem: String
        }

        var file: String
        var dryRun: Bool
        /// Whether the rows were written (false for a dry run, or a file with invalid rows without --skip-invalid).
        var committed: Bool
        var rowsRead, valid, enqueued, alreadyQueued, duplicatesInFile, invalid: Int
        /// Every problem found; ``problems`` lists the first ones.
        var problemCount: Int
        var problems: [Problem]
        var rejectsPath: String?

        init(file: String, dryRun: Bool, report: EnqueueReport) {
            self.file = file
            self.dryRun = dryRun
            committed = report.committed
            rowsRead = report.rowsRead
            valid = report.valid
            enqueued = report.enqueued
            alreadyQueued = report.alreadyQueued
            duplicatesInFile = report.duplicatesInFile
            invalid = report.invalid
            problemCount = report.problemCount
            problems = report.problems.map { Problem(line: $0.line, field: $0.field, problem: $0.problem) }
            rejectsPath = report.rejectsPath
        }
    }

    /// `export --json`.
    struct Export: Encodable {
        var path: String
        var format: String
        var rows: Int
        var includesTokens: Bool
        var all: Bool
    }

    /// `qr --json`.
    struct QR: Encodable {
        var directory: String
        var format: String
        var codes: Int
        var indexPath: String
    }

    /// `migrate --json`.
    struct Migrate: Encodable {
        struct Applied: Encodable {
            var version: Int
            var name: String
        }

        /// The migrations this run applied, in order (empty when the schema was up to date).
        var applied: [Applied]
        /// The schema version now.
        var version: Int
    }

    /// `renew --json`.
    struct Renew: Encodable {
        var dryRun: Bool
        /// Rows renewed (or, in a dry run, that would be).
        var rows: Int
    }
}
