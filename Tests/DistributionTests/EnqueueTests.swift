import Distribution
import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@Suite("enqueue", .timeLimit(.minutes(10)))
struct EnqueueTests {
    static let header = "firstName,lastName,email,dateOfBirth,vendorData,endUserId,documentCountry\n"

    static func enqueue(
        _ path: String, _ conninfo: String, _ options: EnqueueOptions = EnqueueOptions()
    ) async throws -> EnqueueReport {
        try await TestDatabase.withConnection(conninfo) { connection in
            try await Enqueuer(logger: .test).enqueue(file: path, options: options, connection: connection)
        }
    }

    static func queued(_ conninfo: String) async throws -> [PostgresRow] {
        try await TestDatabase.withConnection(conninfo) { db in
            try await db.query(
                """
                SELECT first_name, last_name, email, date_of_birth::text AS dob, vendor_data, end_user_id::text AS euid,
                       document_country, consents::text AS consents, id_number, status
                FROM session_queue ORDER BY id
                """)
        }
    }

    @Test("a valid CSV is imported with normalised fields, in file order")
    func importsCSV() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.csv",
                    Self.header + "Jane,Doe,jane@example.com,1990-01-31,ref-1,,ee\n"
                        + " Mari ,Tamm,,,ref-2,6F9619FF-8B86-D011-B42D-00C04FC964FF,\n")
                let report = try await Self.enqueue(path, conninfo)
                #expect(report.committed)
                #expect(report.rowsRead == 2 && report.enqueued == 2 && report.invalid == 0)
                let rows = try await Self.queued(conninfo)
                #expect(rows.count == 2)
                #expect(try rows[0].decode("first_name", as: String?.self) == "Jane")
                #expect(try rows[0].decode("dob", as: String?.self) == "1990-01-31")
                #expect(try rows[0].decode("document_country", as: String?.self) == "EE")
                #expect(try rows[0].decode("status", as: String.self) == "pending")
                #expect(try rows[1].decode("first_name", as: String?.self) == "Mari")
                #expect(try rows[1].decode("email", as: String?.self) == nil)
                #expect(try rows[1].decode("euid", as: String?.self) == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
            }
        }
    }

    @Test("real-world CSV: BOM, CRLF, snake_case, quoted commas, quotes and line breaks, trailing empty lines")
    func realWorldCSV() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let text =
                    "first_name,last_name,full_address,vendor_data,consents\r\n"
                    + "\"Doe, Jane\",\"O\"\"Brien\",\"Main St 1\r\nTallinn\",a,\"[{\"\"type\"\":\"\"ine\"\",\"\"approved\"\":true}]\"\r\n"
                    + "Mari,Tamm,,b,\r\n\r\n\r\n"
                let path = try scratch.file("users.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
                let report = try await Self.enqueue(path, conninfo)
                #expect(report.committed && report.enqueued == 2, "\(report.problems)")
                let rows = try await Self.queued(conninfo)
                #expect(try rows[0].decode("first_name", as: String?.self) == "Doe, Jane")
                #expect(try rows[0].decode("last_name", as: String?.self) == "O\"Brien")
                #expect(try rows[0].decode("consents", as: String?.self) == #"[{"type": "ine", "approved": true}]"#)
                #expect(try rows[0].decode("vendor_data", as: String?.self) == "a")
            }
        }
    }

    @Test("default: one bad row means nothing is imported, and every bad line, field and rule is reported")
    func allOrNothing() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.csv",
                    Self.header + "Jane,Doe,jane@example.com,,r1,,\n" + "Bad,Mail,not-an-email,2990-01-01,r2,,\n"
                        + "\"Multi\nLine\",X,,,r3,,\n" + "Bad,Id,,,r4,12345,EST\n" + "short,row\n")
                let report = try await Self.enqueue(path, conninfo)
                #expect(!report.committed)
                #expect(report.rowsRead == 5 && report.valid == 2 && report.invalid == 3)
                let lines = report.problems.map { "\($0)" }
                #expect(lines.contains { $0.hasPrefix("line 3: email: must look like name@domain") })
                #expect(lines.contains { $0.hasPrefix("line 3: dateOfBirth:") })
                #expect(lines.contains { $0.hasPrefix("line 6: endUserId: must be a UUID") })
                #expect(lines.contains { $0.hasPrefix("line 6: documentCountry:") })
                #expect(lines.contains("line 7: has 2 fields but the header has 7"))
                #expect(try await Self.queued(conninfo).isEmpty)
            }
        }
    }

    @Test("more than 50 problems: the first 50 are listed and all are counted")
    func problemLimit() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let rows = (1...120).map { "n\($0),x,bad\($0),,v\($0),,\n" }.joined()
                let path = try scratch.file("users.csv", Self.header + rows)
                let report = try await Self.enqueue(path, conninfo)
                #expect(report.problems.count == 50 && report.problemCount == 120 && report.invalid == 120)
                #expect(report.problems.first?.line == 2 && report.problems.last?.line == 51)
            }
        }
    }

    @Test("--skip-invalid imports the good rows and writes the bad ones with line and reason, mode 0600")
    func skipInvalid() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.csv",
                    Self.header + "Jane,Doe,jane@example.com,,r1,,\n" + "Bad,\"Mail, Sr\",nope,,r2,,\n"
                        + "Ok,Two,,,r3,,\n")
                let report = try await Self.enqueue(path, conninfo, EnqueueOptions(skipInvalid: true))
                #expect(report.committed && report.enqueued == 2 && report.invalid == 1)
                #expect(report.rejectsPath == path + ".rejects.csv")
                #expect(try await Self.queued(conninfo).count == 2)
                let rejects = try scratch.read("users.csv.rejects.csv")
                #expect(
                    rejects
                        == "firstName,lastName,email,dateOfBirth,vendorData,endUserId,documentCountry,line,reason\r\n"
                        + "Bad,\"Mail, Sr\",nope,,r2,,,3,\"email: must look like name@domain; got \"\"nope\"\"\"\r\n")
                #expect(try scratch.mode("users.csv.rejects.csv") == 0o600)
                // The corrected rejects file goes back in as it is (line and reason are ignored).
                let fixed = try scratch.file("fixed.csv", rejects.replacingOccurrences(of: ",nope,", with: ",b@x.ee,"))
                let again = try await Self.enqueue(fixed, conninfo)
                #expect(again.committed && again.enqueued == 1, "\(again.problems)")
            }
        }
    }

    @Test("idempotent: the same file twice adds nothing the second time (endUserId, vendorData, fingerprint)")
    func idempotent() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file(
                    "users.csv",
                    Self.header + "A,One,,,,6f9619ff-8b86-d011-b42d-00c04fc964ff,\n" + "B,Two,,,ref-b,,\n"
                        + "C,Three,c@example.com,,,,\n" + "C,Three,c@example.com,,,,\n"  // same end-user twice
                        + "A,Again,,,,6F9619FF-8B86-D011-B42D-00C04FC964FF,\n")  // same endUserId, other case
                let first = try await Self.enqueue(path, conninfo)
                #expect(first.enqueued == 3 && first.duplicatesInFile == 2 && first.alreadyQueued == 0)
                let second = try await Self.enqueue(path, conninfo)
                #expect(second.committed && second.enqueued == 0 && second.alreadyQueued == 3)
                #expect(try await Self.queued(conninfo).count == 3)
                // A different person without ids is not a duplicate.
                let other = try scratch.file("other.csv", Self.header + "C,Three,c2@example.com,,,,\n")
                #expect(try await Self.enqueue(other, conninfo).enqueued == 1)
            }
        }
    }

    @Test("two imports of the same file at once add each end-user once")
    func concurrentImports() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let rows = (1...2000).map { "n\($0),x,,,vendor-\($0),,\n" }.joined()
                let path = try scratch.file("users.csv", Self.header + rows)
                let reports = try await withThrowingTaskGroup(of: EnqueueReport.self) { group in
                    for _ in 0..<2 { group.addTask { try await Self.enqueue(path, conninfo) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(reports.map(\.enqueued).sorted() == [0, 2000])
                let count = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.query("SELECT count(*)::bigint AS n FROM session_queue")[0].decode("n", as: Int.self)
                }
                #expect(count == 2000)
            }
        }
    }

    @Test("--dry-run validates and counts but writes nothing")
    func dryRun() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = try scratch.file("users.csv", Self.header + "Jane,Doe,,,r1,,\n" + "Bad,x,nope,,r2,,\n")
                let report = try await Self.enqueue(path, conninfo, EnqueueOptions(skipInvalid: true, dryRun: true))
                #expect(!report.committed && report.enqueued == 1 && report.invalid == 1)
                #expect(try await Self.queued(conninfo).isEmpty)
                #expect(!FileManager.default.fileExists(atPath: path + ".rejects.csv"))
            }
        }
    }

    @Test("an unknown column, a missing header or an empty file is an error naming the file")
    func badHeaders() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let unknown = try scratch.file("a.csv", "firstName,shoeSize\nJane,40\n")
                await #expect(throws: EnqueueError.self) { try await Self.enqueue(unknown, conninfo) }
                do {
                    _ = try await Self.enqueue(unknown, conninfo)
                } catch let error as EnqueueError {
                    #expect(error.description.contains("unknown column \"shoeSize\""))
                }
                let noHeader = try scratch.file("b.csv", "Jane,Doe,jane@example.com\n")
                do {
                    _ = try await Self.enqueue(noHeader, conninfo)
                    Issue.record("a file without a header was accepted")
                } catch let error as EnqueueError {
                    #expect(error.description.contains("has no header row"))
                }
                let empty = try scratch.file("c.csv", "")
                await #expect(throws: EnqueueError.self) { try await Self.enqueue(empty, conninfo) }
                let repeated = try scratch.file("d.csv", "first_name,firstName\na,b\n")
                await #expect(throws: EnqueueError.self) { try await Self.enqueue(repeated, conninfo) }
                #expect(try await Self.queued(conninfo).isEmpty)
            }
        }
    }

    @Test("JSONL: flat and nested shapes, numeric idNumber; bad JSON, wrong types and bad consents are line errors")
    func jsonl() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let lines = [
                    #"{"firstName": "Jane", "last_name": "Doe", "idNumber": 38001085718, "vendorData": "j1"}"#,
                    #"{"verification": {"person": {"firstName": "Mari", "gender": "f"}, "document": {"country": "ee", "type": "PASSPORT"}, "vendorData": "j2", "consents": [{"type": "ine", "approved": false}]}}"#,
                    "",
                    #"{"firstName": "Broken""#,
                    #"{"email": true, "vendorData": "j4"}"#,
                    #"{"consents": "yes", "vendorData": "j5"}"#,
                    #"["not", "an", "object"]"#,
                    #"{"shoeSize": 40}"#,
                ]
                let path = try scratch.file("users.jsonl", lines.joined(separator: "\r\n") + "\n")
                let strict = try await Self.enqueue(path, conninfo)
                #expect(!strict.committed && strict.invalid == 5 && strict.valid == 2)
                let messages = strict.problems.map(\.description)
                #expect(messages.contains("line 4: is not valid JSON (an object that is never closed at byte 23)"))
                #expect(messages.contains("line 5: email: must be a string; got a boolean"))
                #expect(messages.contains { $0.hasPrefix("line 6: consents: must be a JSON array") })
                #expect(messages.contains("line 7: must be a JSON object; got an array"))
                #expect(messages.contains("line 8: unknown field \"shoeSize\""))

                let report = try await Self.enqueue(path, conninfo, EnqueueOptions(skipInvalid: true))
                #expect(report.enqueued == 2)
                let rows = try await Self.queued(conninfo)
                #expect(try rows[0].decode("id_number", as: String?.self) == "38001085718")
                #expect(try rows[1].decode("document_country", as: String?.self) == "EE")
                #expect(try rows[1].decode("consents", as: String?.self) == #"[{"type": "ine", "approved": false}]"#)
                let rejects = try scratch.read("users.jsonl.rejects.csv")
                #expect(
                    rejects.hasPrefix(
                        "record,line,reason\r\n\"{\"\"firstName\"\": \"\"Broken\"\"\",4,is not valid JSON ("))
            }
        }
    }
}
