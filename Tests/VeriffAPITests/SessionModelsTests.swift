import Foundation
import Testing
import VeriffAPI

@Suite("Session request and response models")
struct SessionModelsTests {
    private func json(_ request: SessionRequest) throws -> [String: Any] {
        let data = try JSONEncoder().encode(request)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("an empty request is {\"verification\":{}}, with no nulls")
    func emptyRequest() throws {
        let data = try JSONEncoder().encode(SessionRequest())
        #expect(String(decoding: data, as: UTF8.self) == #"{"verification":{}}"#)
    }

    @Test("absent fields are omitted, present ones keep Veriff's names")
    func omitsNil() throws {
        let user = EndUser(
            firstName: "John", documentNumber: "B01234567", documentType: "PASSPORT", vendorData: "row-1",
            consents: [Consent(type: "ine", approved: true)]
        )
        let body = try json(user.sessionRequest())
        let verification = try #require(body["verification"] as? [String: Any])
        #expect(Set(verification.keys) == ["person", "document", "vendorData", "consents"])
        #expect((verification["person"] as? [String: Any])?.keys.sorted() == ["firstName"])
        #expect((verification["document"] as? [String: Any])?.keys.sorted() == ["number", "type"])
        let text = String(decoding: try JSONEncoder().encode(user.sessionRequest()), as: UTF8.self)
        #expect(!text.contains("null"))
    }

    @Test("every documented field is sent where Veriff expects it")
    func everyField() throws {
        let user = EndUser(
            firstName: "John", lastName: "Smith", idNumber: "123456789", dateOfBirth: "1980-01-31", gender: "M",
            email: "john@example.com", phoneNumber: "+3725555555", documentNumber: "B01234567",
            documentType: "PASSPORT", documentCountry: "EE", fullAddress: "Lorem Ipsum 30, 13612 Tallinn",
            vendorData: "11111111", endUserId: "fa820aba-019f-455a-ae81-cfca8075bc3f",
            callback: "https://veriff.com", consents: [Consent(type: "ine", approved: true)]
        )
        let verification = try #require(try json(user.sessionRequest())["verification"] as? [String: Any])
        let person = try #require(verification["person"] as? [String: String])
        #expect(
            person == [
                "firstName": "John", "lastName": "Smith", "idNumber": "123456789", "dateOfBirth": "1980-01-31",
                "gender": "M", "email": "john@example.com", "phoneNumber": "+3725555555",
            ])
        #expect(
            verification["document"] as? [String: String] == [
                "number": "B01234567", "type": "PASSPORT", "country": "EE",
            ])
        #expect(verification["address"] as? [String: String] == ["fullAddress": "Lorem Ipsum 30, 13612 Tallinn"])
        #expect(verification["callback"] as? String == "https://veriff.com")
        #expect(verification["endUserId"] as? String == "fa820aba-019f-455a-ae81-cfca8075bc3f")
        let consents = try #require(verification["consents"] as? [[String: Any]])
        #expect(
            consents.count == 1 && consents[0]["type"] as? String == "ine" && consents[0]["approved"] as? Bool == true)
    }

    @Test("the default callback and fallback vendorData fill in only what is missing")
    func defaults() {
        let bare = EndUser().sessionRequest(defaultCallback: "https://a.example", fallbackVendorData: "row-7")
        #expect(bare.verification.callback == "https://a.example")
        #expect(bare.verification.vendorData == "row-7")
        let own = EndUser(vendorData: "mine", callback: "https://b.example")
            .sessionRequest(defaultCallback: "https://a.example", fallbackVendorData: "row-7")
        #expect(own.verification.callback == "https://b.example")
        #expect(own.verification.vendorData == "mine")
    }

    @Test("the 201 body decodes, unknown fields are ignored, and the token is redacted in descriptions")
    func response() throws {
        let body = """
            {"status":"success","extra":{"a":1},"verification":{"id":"b27afb60-1455-4927-b155-0260ffe0947a",
            "url":"https://alchemy.veriff.com/v/eyJ.secret-token","vendorData":"v","endUserId":null,
            "host":"https://alchemy.veriff.com",
            "status":"created","sessionToken":"eyJ.secret-token","newField":[1,2,3]}}
            """
        let response = try JSONDecoder().decode(SessionResponse.self, from: Data(body.utf8))
        #expect(response.verification.id == "b27afb60-1455-4927-b155-0260ffe0947a")
        #expect(response.verification.sessionToken == "eyJ.secret-token")
        #expect(response.verification.endUserId == nil)
        #expect(!"\(response.verification)".contains("secret-token"))
        #expect("\(response.verification)".contains("url: https://alchemy.veriff.com/[REDACTED]"))
        #expect(!String(reflecting: response.verification).contains("secret-token"))
    }
}
