import Distribution
import Foundation
import Postgres
import TestSupport
import Testing

/// Hostile rows: NUL and other control characters, oversized fields and records, duplicate JSONL keys. Each is a
/// clear problem naming its line; with `--skip-invalid` only that row is refused; nothing ever reaches COPY.
@Suite("enqueue input limits", .timeLimit(.minutes(10)))
struct EnqueueLimitsTests {
    static let header = "firstName,lastName,email,vendorData\n"

    static func enqueue(_ path: String, _ conninfo: String, skipInvalid: Bool = false) async throws -> EnqueueReport {
        try await EnqueueTests.enqueue(path, conninfo, EnqueueOptions(skipInvalid: skipInvalid))
    }

    static func queuedVendorData(_ conninfo: String) async throws -> [String] {
        try await TestDatabase.withConnection(conninfo) { db in
            try await db.query("SELECT vendor_data FROM session_queue ORDER BY id").map { try $0.decode("vendor_data") }
        }
    }

    @Test(
        "a CSV of 3 good rows and one with a NUL: --skip-invalid enqueues the 3 and names the line; without it nothing")
    func nulInCSV() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.csv",
                    Self.header + "Jane,Doe,jane@example.com,r1\n" + "Mari,Tamm,mari@example.com,r2\n"
                        + "Evil,Na\u{0}me,evil@example.com,r3\n" + "Jaan,Kask,jaan@example.com,r4\n")
                let strict = try await Self.enqueue(path, conninfo)
                #expect(!strict.committed && strict.invalid == 1 && strict.valid == 3)
                #expect(
                    strict.problems.map(\.description) == [
                        "line 4: lastName: must not contain control characters (only tab and line breaks are allowed); "
                            + "got U+0000"
                    ])
                #expect(try await Self.queuedVendorData(conninfo).isEmpty)

                let lenient = try await Self.enqueue(path, conninfo, skipInvalid: true)
                #expect(lenient.committed && lenient.enqueued == 3 && lenient.invalid == 1)
                #expect(lenient.problems.first?.line == 4 && lenient.problems.first?.field == "lastName")
                #expect(try await Self.queuedVendorData(conninfo) == ["r1", "r2", "r4"])
                #expect(try scratch.read("users.csv.rejects.csv").contains(",4,lastName: must not contain control"))
            }
        }
    }

    @Test("JSONL: an escaped NUL, an escape character and a DEL are row problems, never a failed COPY")
    func controlCharactersInJSONL() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.jsonl",
                    #"{"firstName": "Ok", "vendorData": "j1"}"# + "\n"
                        + #"{"firstName": "A\u0000B", "vendorData": "j2"}"# + "\n"
                        + #"{"person": {"lastName": "\u001b[2J"}, "vendorData": "j3"}"# + "\n"
                        + #"{"fullAddress": "Main St\u007f 1", "vendorData": "j4"}"# + "\n"
                        + #"{"fullAddress": "Main St 1\nTallinn\tEE", "vendorData": "j5"}"# + "\n")
                let report = try await Self.enqueue(path, conninfo, skipInvalid: true)
                #expect(report.committed && report.enqueued == 2 && report.invalid == 3, "\(report.problems)")
                #expect(report.problems.map(\.line) == [2, 3, 4])
                #expect(report.problems.map(\.field) == ["firstName", "lastName", "fullAddress"])
                #expect(try await Self.queuedVendorData(conninfo) == ["j1", "j5"])
            }
        }
    }

    @Test("fields over their byte limit are refused locally: a 10 MB fullAddress is never enqueued")
    func fieldLimits() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let huge = String(repeating: "Main Street 1, ", count: 10_000_000 / 15)
                let path = try scratch.file(
                    "users.csv",
                    "firstName,fullAddress,vendorData\n" + "Jane,Short St 1,r1\n"
                        + "Long,\(String(repeating: "A", count: 1025)),r2\n" + "Huge,\"\(huge)\",r3\n"
                        + "\(String(repeating: "Ä", count: 129)),Ok St 1,r4\n" + "Jaan,Pikk 1,r5\n")
                let report = try await Self.enqueue(path, conninfo, skipInvalid: true)
                #expect(report.committed && report.enqueued == 2 && report.invalid == 3)
                let problems = report.problems.map(\.description)
                #expect(problems.contains("line 3: fullAddress: must be at most 1024 bytes (UTF-8); got 1025"))
                #expect(problems.contains { $0.hasPrefix("line 4: is longer than 65536 bytes") }, "\(problems)")
                #expect(problems.contains("line 5: firstName: must be at most 256 bytes (UTF-8); got 258"))
                #expect(try await Self.queuedVendorData(conninfo) == ["r1", "r5"])
            }
        }
    }

    @Test("an overlong record or line is a problem of its line; the rows after it are read as usual")
    func overlongRecordsResync() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let long = String(repeating: "x", count: 70_000)
                let csv = try scratch.file(
                    "users.csv",
                    Self.header + "Jane,Doe,,r1\n" + "\(long),Doe,,r2\n" + String(repeating: ",", count: 100_000) + "\n"
                        + "Jaan,Kask,,r3\n")
                let report = try await Self.enqueue(csv, conninfo, skipInvalid: true)
                #expect(report.enqueued == 2 && report.invalid == 2)
                #expect(report.problems.map(\.line) == [3, 4])
                let jsonl = try scratch.file(
                    "users.jsonl",
                    #"{"vendorData": "j1"}"# + "\n" + #"{"firstName": "\#(long)"}"# + "\n" + #"{"vendorData": "j2"}"#)
                let lines = try await Self.enqueue(jsonl, conninfo, skipInvalid: true)
                #expect(lines.enqueued == 2 && lines.invalid == 1)
                #expect(
                    lines.problems.map(\.description) == [
                        "line 2: is longer than 65536 bytes, the most a line may hold"
                    ])
                #expect(try await Self.queuedVendorData(conninfo) == ["r1", "r3", "j1", "j2"])
            }
        }
    }

    @Test("JSONL: a key twice, or two keys for one field, is a problem of that line, as in a CSV header")
    func duplicateKeys() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.jsonl",
                    #"{"firstName": "Jane", "first_name": "Eve", "vendorData": "d1"}"# + "\n"
                        + #"{"firstName": "Jane", "firstName": "Eve", "vendorData": "d2"}"# + "\n"
                        + #"{"person": {"firstName": "Jane"}, "FirstName": "Eve", "vendorData": "d3"}"# + "\n"
                        + #"{"verification": {"vendorData": "d4"}, "vendorData": "d4b"}"# + "\n"
                        + #"{"firstName": "Jane", "vendorData": "ok"}"# + "\n")
                let report = try await Self.enqueue(path, conninfo)
                #expect(!report.committed && report.invalid == 4 && report.valid == 1)
                let problems = report.problems.map(\.description)
                #expect(problems.contains(#"line 1: firstName: keys "firstName" and "first_name" both name firstName"#))
                #expect(problems.contains(#"line 2: has the key "firstName" twice"#), "\(problems)")
                #expect(problems.contains { $0.hasPrefix("line 3: firstName: keys ") }, "\(problems)")
                #expect(problems.contains { $0.hasPrefix("line 4: vendorData: keys ") }, "\(problems)")
                #expect(try await Self.queuedVendorData(conninfo).isEmpty)
            }
        }
    }
}
