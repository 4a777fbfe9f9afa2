import VeriffAPI

/// End-users from a JSONL file: one object per line, with flat field names or Veriff's nested shape
/// (`{"person": {...}, "document": {...}, "address": {...}, ...}`, optionally inside `"verification"`).
final class JSONLEndUserSource: EndUserSource {
    private let reader: LineReader
    let rejectsHeader = ["record"]

    /// The keys of the nested objects and the field each one fills.
    private static let nested: [String: [String: EndUserField]] = [
        "person": [
            "firstname": .firstName, "lastname": .lastName, "idnumber": .idNumber, "dateofbirth": .dateOfBirth,
            "gender": .gender, "email": .email, "phonenumber": .phoneNumber,
        ],
        "document": ["number": .documentNumber, "type": .documentType, "country": .documentCountry],
        "address": ["fulladdress": .fullAddress],
    ]

    init(file: InputFile) {
        reader = LineReader(file: file)
    }

    func next() throws -> InputRow? {
        while let line = try reader.next() {
            guard line.bytes.contains(where: { !Self.isJSONSpace($0) }) else { continue }
            let text = String(decoding: line.bytes, as: UTF8.self)
            return row(line.number, bytes: line.bytes, text: text)
        }
        return nil
    }

    private func row(_ number: Int, bytes: [UInt8], text: String) -> InputRow {
        func malformed(_ problem: String) -> InputRow {
            InputRow(
                line: number, user: nil, problems: [RowProblem(line: number, field: nil, problem: problem)],
                original: [text])
        }
        guard String(validating: bytes, as: UTF8.self) != nil else { return malformed("is not valid UTF-8") }
        let object: [String: JSONValue]
        switch JSONValue.parse(bytes) {
        case .failure(let problem): return malformed(problem.message)
        case .success(.object(let value)): object = value
        case .success(let value): return malformed("must be a JSON object; got \(value.kind)")
        }
        var user = EndUser()
        var problems: [RowProblem] = []
        fill(&user, from: object, problems: &problems, line: number, path: "")
        return InputRow.checked(line: number, user: user, readingProblems: problems, original: [text])
    }

    private func fill(
        _ user: inout EndUser, from object: [String: JSONValue], problems: inout [RowProblem], line: Int, path: String
    ) {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let lowered = EndUserField.key(key)
            if path.isEmpty, lowered == "verification", case .object(let inner) = value {
                fill(&user, from: inner, problems: &problems, line: line, path: "")
            } else if path.isEmpty, let fields = Self.nested[lowered] {
                guard case .object(let inner) = value else {
                    if case .null = value { continue }
                    problems.append(RowProblem(line: line, field: key, problem: "must be an object; got \(value.kind)"))
                    continue
                }
                for (innerKey, innerValue) in inner.sorted(by: { $0.key < $1.key }) {
                    guard let field = fields[EndUserField.key(innerKey)] else {
                        problems.append(
                            RowProblem(line: line, field: nil, problem: "unknown field \"\(key).\(innerKey)\""))
                        continue
                    }
                    set(field, innerValue, on: &user, problems: &problems, line: line)
                }
            } else if path.isEmpty, let field = EndUserField.named(key) {
                set(field, value, on: &user, problems: &problems, line: line)
            } else {
                problems.append(RowProblem(line: line, field: nil, problem: "unknown field \"\(key)\""))
            }
        }
    }

    private func set(
        _ field: EndUserField, _ value: JSONValue, on user: inout EndUser, problems: inout [RowProblem], line: Int
    ) {
        if field == .consents {
            switch Consent.list(from: value) {
            case .success(let list): user.consents = list
            case .failure(let problem):
                problems.append(RowProblem(line: line, field: field.name, problem: problem.message))
            }
            return
        }
        switch value.fieldText() {
        case .success(let text?): _ = user.set(field, text: text)
        case .success(nil): break
        case .failure(let problem): problems.append(RowProblem(line: line, field: field.name, problem: problem.message))
        }
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
