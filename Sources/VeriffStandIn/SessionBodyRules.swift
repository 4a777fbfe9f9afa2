import Support
import VeriffAPI

/// A Veriff-shaped refusal: HTTP status, Veriff code and message.
struct StandInRejection: Error, Sendable, Hashable {
    var status: Int
    var code: String
    var message: String
}

/// What the stand-in keeps from a valid body.
struct ValidatedBody: Sendable {
    var vendorData: String?
    var endUserId: String?
}

/// Checks a POST /v1/sessions body as strictly as Veriff: types, then the same rules as ``EndUser/violations()``.
enum SessionBodyRules {
    /// Veriff's messages for the codes it documents.
    static let missing = "Mandatory parameters are missing from the request."
    static let invalid = "Request includes invalid parameters."

    /// - Returns: The values the stand-in echoes, or the first rule broken.
    static func check(body: [UInt8], contentType: String?) -> Result<ValidatedBody, StandInRejection> {
        do throws(StandInRejection) {
            return .success(try validate(body: body, contentType: contentType))
        } catch {
            return .failure(error)
        }
    }

    private static func reject(_ code: String, _ message: String, _ detail: String) -> StandInRejection {
        StandInRejection(status: 400, code: code, message: "\(message) \(detail)")
    }

    private static func validate(body: [UInt8], contentType: String?) throws(StandInRejection) -> ValidatedBody {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: " ").lowercased()
        guard mediaType == "application/json" else {
            throw reject("1104", invalid, "Content-Type must be application/json, got \(contentType ?? "none").")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(body)
        } catch {
            throw reject("1104", invalid, "The body is not valid JSON: \(error).")
        }
        guard case .object = root else { throw reject("1104", invalid, "The body must be a JSON object.") }
        guard let verification = root["verification"], verification != .null else {
            throw reject("1102", missing, "verification is required.")
        }
        guard case .object = verification else { throw reject("1104", invalid, "verification must be an object.") }
        for name in ["person", "document", "address"] {
            if let member = verification[name], member != .null, !member.isObject {
                throw reject("1104", invalid, "verification.\(name) must be an object.")
            }
        }
        if let vendorData = verification["vendorData"], vendorData != .null, !vendorData.isString {
            throw reject("1501", "vendorData must be a string.", "Got \(vendorData.kind).")
        }
        let person = verification["person"]
        let document = verification["document"]
        let user = EndUser(
            firstName: try string(person?["firstName"], "verification.person.firstName"),
            lastName: try string(person?["lastName"], "verification.person.lastName"),
            idNumber: try string(person?["idNumber"], "verification.person.idNumber"),
            dateOfBirth: try string(person?["dateOfBirth"], "verification.person.dateOfBirth"),
            gender: try string(person?["gender"], "verification.person.gender"),
            email: try string(person?["email"], "verification.person.email"),
            phoneNumber: try string(person?["phoneNumber"], "verification.person.phoneNumber"),
            documentNumber: try string(document?["number"], "verification.document.number"),
            documentType: try string(document?["type"], "verification.document.type"),
            documentCountry: try string(document?["country"], "verification.document.country"),
            fullAddress: try string(verification["address"]?["fullAddress"], "verification.address.fullAddress"),
            vendorData: try string(verification["vendorData"], "verification.vendorData"),
            endUserId: try string(verification["endUserId"], "verification.endUserId"),
            callback: try string(verification["callback"], "verification.callback"),
            consents: try consents(verification["consents"])
        )
        if let violation = user.violations().first {
            switch violation.field {
            case "callback":
                throw reject("1302", "Only HTTPS return URLs are allowed.", violation.problem)
            case "vendorData":
                throw reject("1500", "vendorData cannot be more than 1000 symbols.", violation.problem)
            default:
                throw reject("1104", invalid, "\(path(of: violation.field)): \(violation.problem)")
            }
        }
        return ValidatedBody(vendorData: user.vendorData, endUserId: user.endUserId)
    }

    private static func string(_ value: JSONValue?, _ path: String) throws(StandInRejection) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw reject("1104", invalid, "\(path) must be a string, got \(other.kind).")
        }
    }

    private static func consents(_ value: JSONValue?) throws(StandInRejection) -> [Consent]? {
        guard let value, value != .null else { return nil }
        guard case .array(let entries) = value else {
            throw reject("1104", invalid, "verification.consents must be an array.")
        }
        var consents: [Consent] = []
        for (index, entry) in entries.enumerated() {
            guard case .string(let type)? = entry["type"], case .bool(let approved)? = entry["approved"] else {
                throw reject(
                    "1104", invalid, "verification.consents[\(index)] must be {\"type\": string, \"approved\": bool}."
                )
            }
            consents.append(Consent(type: type, approved: approved))
        }
        return consents
    }

    /// `documentCountry` → `verification.document.country`.
    private static func path(of field: String) -> String {
        switch field {
        case "documentNumber": "verification.document.number"
        case "documentType": "verification.document.type"
        case "documentCountry": "verification.document.country"
        case "fullAddress": "verification.address.fullAddress"
        case "firstName", "lastName", "idNumber", "dateOfBirth", "gender", "email", "phoneNumber":
            "verification.person.\(field)"
        default: "verification.\(field)"
        }
    }
}

extension JSONValue {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var text = self
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return text
    }
}
