/// Why one input row cannot be enqueued: its line, the field (when one is to blame) and the rule it breaks.
public struct RowProblem: Sendable, Hashable, CustomStringConvertible {
    /// The physical line (1-based) on which the row starts.
    public var line: Int
    /// The field as Veriff names it, or `nil` when the row as a whole is malformed.
    public var field: String?
    /// The rule, in words an operator can act on.
    public var problem: String

    public init(line: Int, field: String?, problem: String) {
        self.line = line
        self.field = field
        self.problem = problem
    }

    /// `line 7: email: must look like name@domain; got "x"`.
    public var description: String {
        if let field { return "line \(line): \(field): \(problem)" }
        return "line \(line): \(problem)"
    }
}
