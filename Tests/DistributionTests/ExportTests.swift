import Distribution
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("export", .timeLimit(.minutes(10)))
struct ExportTests {
    static func export(_ path: String, _ conninfo: String, _ options: ExportOptions = ExportOptions()) async throws
        -> ExportReport
    {
        try await TestDatabase.withConnection(conninfo) { connection in
            try await Exporter(logger: .test).export(to: path, options: options, connection: connection)
        }
    }

    static func unexported(_ conninfo: String) async throws -> Int {
        try await TestDatabase.withConnection(conninfo) { db in
            try await db.query("SELECT count(*)::bigint AS n FROM session_queue WHERE exported_at IS NULL")[0]
                .decode("n", as: Int.self)
        }
    }

    @Test("writes the unexported rows as CSV (0600, no tokens), marks them, and the next export is empty")
    func exportsOnce() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                try await ProvisionedRows.insert(conninfo, count: 3)
                _ = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.execute("INSERT INTO session_queue (first_name) VALUES ('still pending')")
                }
                let path = scratch.path + "/out.csv"
                let report = try await Self.export(path, conninfo)
                #expect(report.rows == 3)
                let text = try scratch.read("out.csv")
                let lines = text.components(separatedBy: "\r\n")
                #expect(lines[0] == "email,first_name,last_name,vendor_data,session_url,expires_at,session_id")
                #expect(lines[1].hasPrefix("user1@example.com,Jane,Doe,ref-1,https://alchemy.veriff.com/v/token-1,"))
                #expect(lines[1].hasSuffix("Z,session-1"))
                #expect(lines.count == 5 && lines[4].isEmpty)
                #expect(!text.contains("secret-token"))
                #expect(try scratch.mode("out.csv") == 0o600)
                #expect(try await Self.unexported(conninfo) == 1)  // the pending row only

                let again = try await Self.export(scratch.path + "/again.csv", conninfo)
                #expect(again.rows == 0)
                #expect(try scratch.read("again.csv").components(separatedBy: "\r\n").count == 2)

                let all = try await Self.export(
                    scratch.path + "/all.jsonl", conninfo, ExportOptions(format: .jsonl, all: true, includeToken: true))
                #expect(all.rows == 3)
                let first = try scratch.read("all.jsonl").split(separator: "\n")[0]
                #expect(first.hasPrefix(#"{"email":"user1@example.com","first_name":"Jane","last_name":"Doe""#))
                #expect(first.hasSuffix(#""session_id":"session-1","session_token":"secret-token-1"}"#))
            }
        }
    }

    @Test("CSV cells that start like a formula are prefixed with a quote; commas and quotes are escaped")
    func formulaInjection() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                try await ProvisionedRows.insert(conninfo, count: 1, firstName: "=HYPERLINK(\"http://x\",\"a,b\")")
                try await ProvisionedRows.insert(conninfo, count: 1, firstName: "@SUM(1)", vendorPrefix: "-x")
                _ = try await Self.export(scratch.path + "/out.csv", conninfo)
                let lines = try scratch.read("out.csv").components(separatedBy: "\r\n")
                #expect(lines[1].contains(#","'=HYPERLINK(""http://x"",""a,b"")",Doe,"#))
                #expect(lines[2].contains(",'@SUM(1),Doe,'-x-1,"))
            }
        }
    }

    @Test("two exports at once hand out disjoint rows that together are all of them")
    func concurrentExports() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                try await ProvisionedRows.insert(conninfo, count: 400)
                var batched = ExportOptions()
                batched.batchSize = 25
                let options = batched
                let reports = try await withThrowingTaskGroup(of: ExportReport.self) { group in
                    for name in ["a.csv", "b.csv"] {
                        group.addTask { try await Self.export(scratch.path + "/" + name, conninfo, options) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(reports.map(\.rows).reduce(0, +) == 400)
                let ids = try ["a.csv", "b.csv"].map { name in
                    Set(
                        try scratch.read(name).components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                            .map { $0.components(separatedBy: ",").last! })
                }
                #expect(ids[0].isDisjoint(with: ids[1]))
                #expect(ids[0].union(ids[1]).count == 400)
                #expect(try await Self.unexported(conninfo) == 0)
            }
        }
    }

    @Test("a failed write hands out nothing: no rows are marked and no file is left")
    func failedWrite() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                try await ProvisionedRows.insert(conninfo, count: 5)
                // The destination is a non-empty directory: the rename at the end fails.
                let blocked = scratch.path + "/blocked"
                try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
                try scratch.file("blocked/keep", "x")
                await #expect(throws: OutputFileError.self) { try await Self.export(blocked, conninfo) }
                #expect(try await Self.unexported(conninfo) == 5)
                #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["blocked"])
                // A missing directory fails before anything is read.
                await #expect(throws: OutputFileError.self) {
                    try await Self.export(scratch.path + "/missing/out.csv", conninfo)
                }
                #expect(try await Self.export(scratch.path + "/ok.csv", conninfo).rows == 5)
            }
        }
    }
}
