import Operations

/// `check --json`: whether every check passed, and each check's name, status and detail.
struct CheckReportJSON: Encodable {
    struct Check: Encodable {
        var name: String
        /// `passed`, `failed` or `skipped`.
        var status: String
        var detail: String
    }

    var ok: Bool
    var checks: [Check]
    /// Notes that are not checks: the limiter's learned cap, when it disagrees with the configured one.
    var notes: [String]

    init(_ report: CheckReport, notes: [String] = []) {
        ok = report.allPassed
        self.notes = notes
        checks = report.results.map { result in
            let status =
                switch result.status {
                case .passed: "passed"
                case .failed: "failed"
                case .skipped: "skipped"
                }
            return Check(name: result.name, status: status, detail: result.detail)
        }
    }
}
