/// The outcome of one check of `provisioner check`: its name, whether it passed, and one line of detail.
public struct CheckResult: Sendable, Hashable, CustomStringConvertible {
    /// Whether a check passed.
    public enum Status: String, Sendable, Hashable {
        /// The check passed.
        case passed = "ok"
        /// The check failed: the run would fail, or would run unsafely.
        case failed = "FAIL"
        /// The check could not run because an earlier one failed (counts as a failure of the report).
        case skipped = "skip"
    }

    /// A short, stable name: `configuration`, `database`, `schema`, `permissions` or `veriff`.
    public var name: String
    /// Whether it passed.
    public var status: Status
    /// What was found, in one line; never a secret.
    public var detail: String

    public init(name: String, status: Status, detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }

    static func passed(_ name: String, _ detail: String) -> CheckResult {
        .init(name: name, status: .passed, detail: detail)
    }
    static func failed(_ name: String, _ detail: String) -> CheckResult {
        .init(name: name, status: .failed, detail: detail)
    }
    static func skipped(_ name: String, _ detail: String) -> CheckResult {
        .init(name: name, status: .skipped, detail: detail)
    }

    /// One line: status, name, detail, aligned for reading in a terminal.
    public var description: String {
        let status = self.status.rawValue.padding(to: 5)
        let name = self.name.padding(to: 14)
        return "\(status)\(name)\(detail)"
    }
}

extension String {
    /// The string padded with spaces on the right to at least `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
