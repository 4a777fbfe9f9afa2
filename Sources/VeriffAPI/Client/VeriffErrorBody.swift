/// Veriff's error body, `{"status":"fail","code":"1102","message":"..."}`; `code` may be a string or a number.
struct VeriffErrorBody: Decodable {
    var status: String?
    var code: String?
    var message: String?

    private enum CodingKeys: String, CodingKey { case status, code, message }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try? container.decodeIfPresent(String.self, forKey: .status)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        if let text = try? container.decodeIfPresent(String.self, forKey: .code) {
            code = text
        } else if let number = try? container.decodeIfPresent(Int64.self, forKey: .code) {
            code = String(number)
        } else if let number = try? container.decodeIfPresent(Double.self, forKey: .code) {
            code = String(number)
        } else {
            code = nil
        }
    }
}
