import Foundation
import Support
import TestSupport
import Testing

@testable import Distribution

/// Seeded random and mutated JSON lines: the parser never crashes (deep nesting included), refuses duplicate keys,
/// and the enqueue source names the line of every problem.
@Suite("fuzz: JSONL", .timeLimit(.minutes(10)))
struct JSONLFuzzTests {
    static let corpus = [
        #"{"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com", "vendorData": "r1"}"#,
        #"{"verification": {"person": {"firstName": "Mari", "idNumber": 38001085718}, "document": {"number": "AB1", "type": "PASSPORT", "country": "ee"}, "address": {"fullAddress": "Pikk 1\nTallinn"}, "vendorData": "r2", "consents": [{"type": "ine", "approved": true}]}}"#,
        #"{"first_name": "J\u00fcri", "last_name": "\u00d5unapuu", "endUserId": null, "dateOfBirth": "1980-01-31"}"#,
        #"{"firstName": "\ud83d\ude00", "callback": "https://example.com/done?x=1", "gender": "f"}"#,
        #"[1, 2.5e3, -0.0, true, false, null, "x", {"a": {}}]"#,
    ].map { Array($0.utf8) }

    static let interesting: [UInt8] = Array("{}[]\":,\\u0123456789.eE+-tfn ".utf8) + [0, 0x0A, 0x1F, 0xC3, 0xFF]

    @Test("parser: random and mutated JSON, no crash; a success re-checks as the same value class")
    func parser() {
        var rng = SplitMix64(seed: 0x15_0001)
        var failures = FuzzFailures()
        var parsed = 0
        for index in 0..<Fuzz.cases {
            let bytes =
                index % 3 == 0
                ? Fuzz.randomBytes(&rng, interesting: Self.interesting)
                : rng.mutate(rng.pick(Self.corpus), interesting: Self.interesting)
            switch JSONValue.parseField(bytes) {
            case .success: parsed += 1
            case .failure(let problem):
                failures.check(
                    problem.message.hasPrefix("is ") || problem.message.hasPrefix("has "),
                    "case \(index): message \"\(problem.message)\" does not read as a row problem")
            }
            // Foundation agrees on what is valid JSON, apart from duplicate keys (which it accepts).
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            if case .success = JSONValue.parseField(bytes) {
                failures.check(foundation, "case \(index): accepted what Foundation refuses: \(bytes)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(parsed > Fuzz.cases / 40)
    }

    @Test("deep nesting, duplicate keys, huge numbers and lone surrogates are problems, never crashes")
    func edgeCases() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        #expect(JSONValue.parseField(deep).failureMessage?.contains("nested more than") == true)
        let deepObjects = Array(String(repeating: #"{"a":"#, count: 50_000).utf8)
        #expect(JSONValue.parseField(deepObjects).failureMessage != nil)
        #expect(JSONValue.parseField(Array(#"{"a": 1, "a": 2}"#.utf8)).failureMessage == #"has the key "a" twice"#)
        #expect(JSONValue.parseField(Array(#"{"n": 1e999}"#.utf8)).failureMessage == "has a number out of range")
        #expect(JSONValue.parseField(Array(#"{"s": "\ud800"}"#.utf8)).failureMessage != nil)
        #expect(JSONValue.parseField(Array(#"{"s": "a\u0000b"}"#.utf8)) == .success(.object(["s": .string("a\u{0}b")])))
        #expect(
            JSONValue.parseField(Array(#"{"n": 12345678901234567890}"#.utf8))
                == .success(.object(["n": .number(12345678901234567890)])))
    }

    @Test("enqueue source: every row's problems name its line, whatever the lines hold")
    func source() throws {
        var rng = SplitMix64(seed: 0x15_0002)
        var failures = FuzzFailures()
        for index in 0..<Fuzz.cases / 3 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let line =
                    Bool.random(using: &rng)
                    ? rng.mutate(rng.pick(Self.corpus), interesting: Self.interesting) : rng.pick(Self.corpus)
                bytes += line + [0x0A]
            }
            let lines = Fuzz.lineCount(bytes)
            try Fuzz.withFile(bytes) { path in
                let source = JSONLEndUserSource(file: try InputFile(path: path), maxLineBytes: 200)
                while let row = try source.next() {
                    failures.check((1...lines).contains(row.line), "case \(index): row on line \(row.line)")
                    failures.check((row.user == nil) != row.problems.isEmpty, "case \(index): neither valid nor not")
                    for problem in row.problems {
                        failures.check(problem.line == row.line, "case \(index): \(problem) not on line \(row.line)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}

extension Result where Failure == ProblemMessage {
    /// The problem's message, or `nil` on success.
    var failureMessage: String? {
        if case .failure(let problem) = self { return problem.message }
        return nil
    }
}
