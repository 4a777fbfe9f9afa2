import Support
import VeriffAPI

extension Consent {
    /// The rule consents must follow, for messages.
    static let shapeRule = #"must be a JSON array of {"type": "...", "approved": true|false}"#

    /// The consents in a parsed JSON value (`null` means none).
    static func list(from value: JSONValue) -> Result<[Consent]?, ProblemMessage> {
        if case .null = value { return .success(nil) }
        guard case .array(let entries) = value else {
            return .failure(ProblemMessage("\(shapeRule); got \(value.kind)"))
        }
        var consents: [Consent] = []
        for (index, entry) in entries.enumerated() {
            guard case .object(let object) = entry, case .string(let type)? = object["type"],
                case .bool(let approved)? = object["approved"], object.count == 2
            else {
                return .failure(ProblemMessage("\(shapeRule); entry \(index + 1) is not"))
            }
            consents.append(Consent(type: type, approved: approved))
        }
        return .success(consents)
    }

}
