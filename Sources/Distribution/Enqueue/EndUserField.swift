import Support
import VeriffAPI

/// One of the end-user fields a CSV column or JSONL key can name.
enum EndUserField: Int, CaseIterable, Sendable {
    case firstName, lastName, idNumber, dateOfBirth, gender, email, phoneNumber, documentNumber, documentType
    case documentCountry, fullAddress, vendorData, endUserId, callback, consents

    /// The name as Veriff spells it (`EndUser.fieldNames`).
    var name: String { EndUser.fieldNames[rawValue] }

    private static let byKey: [String: EndUserField] = Dictionary(
        uniqueKeysWithValues: allCases.map { (key($0.name), $0) })

    /// The field a column or key names: Veriff's camelCase or snake_case, in any letter case.
    static func named(_ name: String) -> EndUserField? { byKey[key(name)] }

    /// `first_name`, `firstName` and `FirstName` all become `firstname`.
    static func key(_ name: String) -> String {
        String(String.UnicodeScalarView(name.trimmingSpaces().lowercased().unicodeScalars.filter { $0 != "_" }))
    }
}

extension EndUser {
    /// Sets one field from its text; consents are parsed as a JSON array.
    /// - Returns: A problem when the text is not a valid value for the field (only consents can have one here).
    mutating func set(_ field: EndUserField, text: String) -> String? {
        switch field {
        case .firstName: firstName = text
        case .lastName: lastName = text
        case .idNumber: idNumber = text
        case .dateOfBirth: dateOfBirth = text
        case .gender: gender = text
        case .email: email = text
        case .phoneNumber: phoneNumber = text
        case .documentNumber: documentNumber = text
        case .documentType: documentType = text
        case .documentCountry: documentCountry = text
        case .fullAddress: fullAddress = text
        case .vendorData: vendorData = text
        case .endUserId: endUserId = text
        case .callback: callback = text
        case .consents:
            guard !text.trimmingSpaces().isEmpty else {
                consents = nil
                return nil
            }
            switch JSONValue.parseField(Array(text.utf8)) {
            case .success(let value):
                switch Consent.list(from: value) {
                case .success(let list): consents = list
                case .failure(let problem): return problem.message
                }
            case .failure:
                return Consent.shapeRule + "; got text that is not JSON"
            }
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
