import Support
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

    /// - Parameters:
    ///   - file: The input.
    ///   - maxLineBytes: The longest line read; a longer one is an invalid row, never held in memory.
    init(file: InputFile, maxLineBytes: Int) {
        reader = LineReader(file: file, maxLineBytes: maxLineBytes)
        self.maxLineBytes = maxLineBytes
    }

    private let maxLineBytes: Int

    func next() throws -> InputRow? {
        while let line = try reader.next() {
            if line.isOverlong {
                let problem = "is longer than \(maxLineBytes) bytes, the most a line may hold"
                return InputRow(
                    line: line.number, user: nil,
                    problems: [RowProblem(line: line.number, field: nil, problem: problem)],
                    original: [""])
            }
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
        switch JSONValue.parseField(bytes) {
        case .failure(let problem): return malformed(problem.message)
        case .success(.object(let value)): object = value
        case .success(let value): return malformed("must be a JSON object; got \(value.kind)")
        }
        var user = EndUser()
        var problems: [RowProblem] = []
        var seen: [EndUserField: String] = [:]
        fill(&user, from: object, problems: &problems, seen: &seen, line: number, path: "", prefix: "")
        return InputRow.checked(line: number, user: user, readingProblems: problems, original: [text])
    }

    private func fill(
        _ user: inout EndUser, from object: [String: JSONValue], problems: inout [RowProblem],
        seen: inout [EndUserField: String], line: Int, path: String, prefix: String
    ) {
        /// Records that `name` sets `field`; a second key for the same field (`firstName` and `first_name`, or
        /// `person.firstName` and `firstName`) is a problem, as a CSV column named twice is.
        func claim(_ field: EndUserField, _ name: String) -> Bool {
            if let earlier = seen[field] {
                problems.append(
                    RowProblem(
                        line: line, field: field.name,
                        problem: "keys \(JSONText.quoted(earlier)) and \(JSONText.quoted(name)) both name \(field.name)"
                    ))
                return false
            }
            seen[field] = name
            return true
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let lowered = EndUserField.key(key)
            if path.isEmpty, lowered == "verification", case .object(let inner) = value {
                fill(&user, from: inner, problems: &problems, seen: &seen, line: line, path: "", prefix: key + ".")
            } else if path.isEmpty, let fields = Self.nested[lowered] {
                guard case .object(let inner) = value else {
                    if case .null = value { continue }
                    problems.append(RowProblem(line: line, field: key, problem: "must be an object; got \(value.kind)"))
                    continue
                }
                for (innerKey, innerValue) in inner.sorted(by: { $0.key < $1.key }) {
                    guard let field = fields[EndUserField.key(innerKey)] else {
                        problems.append(
                            RowProblem(
                                line: line, field: nil, problem: "unknown field \(Self.shown(key + "." + innerKey))"))
                        continue
                    }
                    guard claim(field, "\(prefix)\(key).\(innerKey)") else { continue }
                    set(field, innerValue, on: &user, problems: &problems, line: line)
                }
            } else if path.isEmpty, let field = EndUserField.named(key) {
                guard claim(field, prefix + key) else { continue }
                set(field, value, on: &user, problems: &problems, line: line)
            } else {
                problems.append(RowProblem(line: line, field: nil, problem: "unknown field \(Self.shown(key))"))
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

    /// A key from the file as a message shows it: JSON-quoted (control characters escaped), at most 60 characters.
    private static func shown(_ key: String) -> String {
        JSONText.quoted(key.count > 60 ? String(key.prefix(57)) + "..." : key)
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
