import Testing
import VeriffAPI

/// The length and control-character rules every field obeys (the same for enqueue and for rows a run claims).
@Suite("Local validation: lengths and control characters")
struct EndUserLimitsTests {
    @Test(
        "a control character other than tab or a line break makes any text field invalid",
        arguments: ["\u{0}", "\u{1}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}"])
    func controlCharacters(control: String) {
        let users = [
            EndUser(firstName: "Ja\(control)ne"), EndUser(lastName: "D\(control)oe"),
            EndUser(fullAddress: "Pikk\(control) 1"), EndUser(vendorData: "ref-\(control)"),
            EndUser(idNumber: "3800\(control)1"), EndUser(phoneNumber: "+372\(control)5555"),
            EndUser(consents: [Consent(type: "ine\(control)", approved: true)]),
        ]
        for user in users {
            let violations = user.normalized().violations()
            #expect(violations.count == 1, "\(user): \(violations)")
            #expect(violations.first?.problem.contains("control characters") == true)
            // The value itself is never quoted back.
            #expect(violations.first?.problem.contains(control) == false)
        }
    }

    @Test("leading and trailing whitespace controls (NEL) are trimmed by normalisation, not refused")
    func trimmedControls() {
        #expect(EndUser(lastName: "\u{85}Doe\u{85}").normalized().violations().isEmpty)
    }

    @Test("tabs and line breaks are allowed (a multi-line address)")
    func lineBreaksAllowed() {
        #expect(EndUser(fullAddress: "Pikk 1\r\nTallinn\tEE").normalized().violations().isEmpty)
        #expect(EndUser(firstName: "Mary\tAnn").normalized().violations().isEmpty)
    }

    @Test("each field has a byte limit: at the limit passes, one byte over fails, 10 MB fails")
    func byteLimits() {
        for (field, limit) in EndUser.maxFieldBytes where !["vendorData", "documentCountry", "gender"].contains(field) {
            for (length, valid) in [(limit, true), (limit + 1, false), (10_000_000, false)] {
                var user = EndUser()
                let value = String(repeating: "a", count: length)
                switch field {
                case "firstName": user.firstName = value
                case "lastName": user.lastName = value
                case "idNumber": user.idNumber = value
                case "phoneNumber": user.phoneNumber = value
                case "documentNumber": user.documentNumber = value
                case "fullAddress": user.fullAddress = value
                case "email", "callback", "dateOfBirth", "documentType", "endUserId":
                    // Their format rules fail on "aaa..." anyway: only the over-limit message matters here.
                    guard !valid else { continue }
                    switch field {
                    case "email": user.email = value
                    case "callback": user.callback = value
                    case "dateOfBirth": user.dateOfBirth = value
                    case "documentType": user.documentType = value
                    default: user.endUserId = value
                    }
                default:
                    Issue.record("no case for \(field)")
                }
                let violations = user.violations()
                if valid {
                    #expect(violations.isEmpty, "\(field) at \(length): \(violations)")
                } else {
                    #expect(violations.map(\.field) == [field], "\(field) at \(length): \(violations)")
                    #expect(violations.first?.problem.hasPrefix("must be at most \(limit) bytes") == true)
                }
            }
        }
    }

    @Test("vendorData: 1,000 characters pass, 1,001 fail; multi-byte text is counted in characters")
    func vendorData() {
        #expect(EndUser(vendorData: String(repeating: "ä", count: 1000)).violations().isEmpty)
        #expect(EndUser(vendorData: String(repeating: "a", count: 1001)).violations().map(\.field) == ["vendorData"])
        #expect(EndUser(vendorData: String(repeating: "€", count: 1001)).violations().map(\.field) == ["vendorData"])
    }

    @Test("at most 16 consents, each type at most 64 bytes")
    func consents() {
        let many = (0..<17).map { Consent(type: "t\($0)", approved: true) }
        #expect(EndUser(consents: many).violations().map(\.field) == ["consents"])
        #expect(
            EndUser(consents: [Consent(type: String(repeating: "x", count: 65), approved: true)]).violations().count
                == 1)
        #expect(EndUser(consents: Array(many.prefix(16))).violations().isEmpty)
    }
}
