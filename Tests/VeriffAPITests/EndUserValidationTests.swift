import Support
import Testing
import VeriffAPI

/// One row of the validation table: a value for one field, and whether it must pass.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    var field: String
    var value: String
    var valid: Bool

    var testDescription: String { "\(field)=\(value.prefix(30)) \(valid ? "passes" : "fails")" }

    var user: EndUser {
        var user = EndUser()
        switch field {
        case "dateOfBirth": user.dateOfBirth = value
        case "gender": user.gender = value
        case "email": user.email = value
        case "documentNumber": user.documentNumber = value
        case "documentType": user.documentType = value
        case "documentCountry": user.documentCountry = value
        case "vendorData": user.vendorData = value
        case "endUserId": user.endUserId = value
        case "callback": user.callback = value
        case "consents": user.consents = [Consent(type: value, approved: true)]
        default: Issue.record("unknown field \(field)")
        }
        return user
    }
}

@Suite("Local validation (EndUser.violations)")
struct EndUserValidationTests {
    static let cases: [ValidationCase] = [
        // dateOfBirth: YYYY-MM-DD, a real date, 1900 or later, not in the future.
        .init(field: "dateOfBirth", value: "1980-01-31", valid: true),
        .init(field: "dateOfBirth", value: "2000-02-29", valid: true),
        .init(field: "dateOfBirth", value: "1900-01-01", valid: true),
        .init(field: "dateOfBirth", value: "1899-12-31", valid: false),
        .init(field: "dateOfBirth", value: "1900-02-29", valid: false),
        .init(field: "dateOfBirth", value: "2001-02-29", valid: false),
        .init(field: "dateOfBirth", value: "1980-13-01", valid: false),
        .init(field: "dateOfBirth", value: "1980-04-31", valid: false),
        .init(field: "dateOfBirth", value: "1980-1-31", valid: false),
        .init(field: "dateOfBirth", value: "31.01.1980", valid: false),
        .init(field: "dateOfBirth", value: "2999-01-01", valid: false),
        .init(field: "dateOfBirth", value: "198a-01-31", valid: false),
        // gender: M or F.
        .init(field: "gender", value: "M", valid: true),
        .init(field: "gender", value: "F", valid: true),
        .init(field: "gender", value: "X", valid: false),
        .init(field: "gender", value: "male", valid: false),
        // email: one @, a dotted domain, no whitespace.
        .init(field: "email", value: "john@example.com", valid: true),
        .init(field: "email", value: "a.b+c@sub.example.ee", valid: true),
        .init(field: "email", value: "john.example.com", valid: false),
        .init(field: "email", value: "john@localhost", valid: false),
        .init(field: "email", value: "jo hn@example.com", valid: false),
        .init(field: "email", value: "a@b@example.com", valid: false),
        .init(field: "email", value: "@example.com", valid: false),
        .init(field: "email", value: "john@example.", valid: false),
        // documentNumber: letters and digits only.
        .init(field: "documentNumber", value: "B01234567", valid: true),
        .init(field: "documentNumber", value: "AB-123", valid: false),
        .init(field: "documentNumber", value: "AB 123", valid: false),
        // documentType: one of four.
        .init(field: "documentType", value: "PASSPORT", valid: true),
        .init(field: "documentType", value: "ID_CARD", valid: true),
        .init(field: "documentType", value: "RESIDENCE_PERMIT", valid: true),
        .init(field: "documentType", value: "DRIVERS_LICENSE", valid: true),
        .init(field: "documentType", value: "VISA", valid: false),
        .init(field: "documentType", value: "passport", valid: false),
        // documentCountry: two upper-case letters.
        .init(field: "documentCountry", value: "EE", valid: true),
        .init(field: "documentCountry", value: "ee", valid: false),
        .init(field: "documentCountry", value: "EST", valid: false),
        .init(field: "documentCountry", value: "E1", valid: false),
        .init(field: "documentCountry", value: "ÉE", valid: false),
        // vendorData: at most 1,000 UTF-16 units.
        .init(field: "vendorData", value: String(repeating: "x", count: 1000), valid: true),
        .init(field: "vendorData", value: String(repeating: "x", count: 1001), valid: false),
        .init(field: "vendorData", value: String(repeating: "😀", count: 501), valid: false),
        // endUserId: a UUID.
        .init(field: "endUserId", value: "fa820aba-019f-455a-ae81-cfca8075bc3f", valid: true),
        .init(field: "endUserId", value: "FA820ABA-019F-455A-AE81-CFCA8075BC3F", valid: true),
        .init(field: "endUserId", value: "fa820aba019f455aae81cfca8075bc3f", valid: false),
        .init(field: "endUserId", value: "fa820aba-019f-455a-ae81-cfca8075bc3g", valid: false),
        .init(field: "endUserId", value: "12345", valid: false),
        // callback: https with a host.
        .init(field: "callback", value: "https://veriff.com", valid: true),
        .init(field: "callback", value: "https://example.com:8443/done?x=1", valid: true),
        .init(field: "callback", value: "http://veriff.com", valid: false),
        .init(field: "callback", value: "http://127.0.0.1/callback", valid: false),
        .init(field: "callback", value: "https:///path", valid: false),
        .init(field: "callback", value: "https://:443/path", valid: false),
        .init(field: "callback", value: "https://[::1]:8443/", valid: true),
        .init(field: "callback", value: "https://exa mple.com", valid: false),
        .init(field: "callback", value: "veriff.com", valid: false),
        // consents: a non-empty type.
        .init(field: "consents", value: "ine", valid: true),
        .init(field: "consents", value: "  ", valid: false),
    ]

    @Test("each rule accepts good values and names the field for bad ones", arguments: cases)
    func rule(_ testCase: ValidationCase) {
        let violations = testCase.user.violations()
        if testCase.valid {
            #expect(violations.isEmpty, "unexpected: \(violations.summary)")
        } else {
            #expect(violations.count == 1)
            #expect(violations.first?.field == testCase.field)
            #expect(!(violations.first?.problem.isEmpty ?? true))
        }
    }

    @Test("an empty end-user is valid (Veriff accepts an empty verification)")
    func empty() {
        #expect(EndUser().violations().isEmpty)
    }

    @Test("every violation is reported, in field order, with a readable summary")
    func several() {
        let user = EndUser(gender: "x", documentCountry: "est", endUserId: "nope")
        let violations = user.violations()
        #expect(violations.map(\.field) == ["gender", "documentCountry", "endUserId"])
        #expect(violations.summary.contains("gender: must be M or F"))
    }

    @Test("normalisation fixes case and whitespace, so validation judges meaning")
    func normalised() {
        let user = EndUser(
            gender: " m ", documentType: "passport", documentCountry: "ee", vendorData: "  keep  ",
            endUserId: "FA820ABA-019F-455A-AE81-CFCA8075BC3F", callback: ""
        ).normalized()
        #expect(user.violations().isEmpty)
        #expect(user.gender == "M" && user.documentCountry == "EE" && user.documentType == "PASSPORT")
        #expect(user.vendorData == "  keep  ")
        #expect(user.callback == nil)
    }

    @Test("the date rule honours the given day")
    func today() {
        #expect(EndUser.isRealDate("2024-05-01", today: CivilDate(year: 2024, month: 5, day: 1)))
        #expect(!EndUser.isRealDate("2024-05-02", today: CivilDate(year: 2024, month: 5, day: 1)))
    }
}
