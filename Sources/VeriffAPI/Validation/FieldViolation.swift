/// One local validation failure: which field broke which rule.
public struct FieldViolation: Sendable, Hashable, CustomStringConvertible {
    /// The field, as Veriff names it (`documentCountry`, `vendorData`, ...).
    public var field: String
    /// The rule that failed, in words an operator can act on.
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}

extension Array where Element == FieldViolation {
    /// All violations on one line, e.g. `gender: must be M or F; endUserId: must be a UUID`.
    public var summary: String { map(\.description).joined(separator: "; ") }
}
