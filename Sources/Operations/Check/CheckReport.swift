/// Every result of one `provisioner check`, in the order the checks ran.
public struct CheckReport: Sendable, Hashable, CustomStringConvertible {
    /// The results, one per check.
    public var results: [CheckResult]

    public init(results: [CheckResult]) {
        self.results = results
    }

    /// True when every check passed (a skipped check counts as not passed).
    public var allPassed: Bool { results.allSatisfy { $0.status == .passed } }

    /// The result of the check called `name`, if it ran.
    public subscript(name: String) -> CheckResult? { results.first { $0.name == name } }

    /// One line per check.
    public var description: String { results.map(\.description).joined(separator: "\n") }
}
