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

    init(_ report: CheckReport) {
        ok = report.allPassed
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
