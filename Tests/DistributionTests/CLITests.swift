import Foundation
import Postgres
import TestSupport
import Testing

/// The commands as operators run them: the real `provisioner` binary, exit statuses, one-line errors.
@Suite("distribution commands", .timeLimit(.minutes(10)))
struct DistributionCLITests {
    static func run(_ arguments: [String], _ conninfo: String) async throws -> Shell.Output {
        try await Shell.run(Package.provisioner, arguments, environment: ["DATABASE_URL": conninfo])
    }

    @Test("enqueue: 0 when imported, 1 with the bad lines listed, 64 for a bad header, 75 without a database")
    func enqueueExitStatuses() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let good = try scratch.file("good.csv", "firstName,vendorData\nJane,a\nMari,b\n")
                let ok = try await Self.run(["enqueue", good], conninfo)
                #expect(ok.status == 0, "\(ok.stderr)")
                #expect(ok.stdout == "2 rows read, 2 enqueued, 0 already queued, 0 rejected\n")
                let twice = try await Self.run(["enqueue", good], conninfo)
                #expect(twice.stdout == "2 rows read, 0 enqueued, 2 already queued, 0 rejected\n")

                let bad = try scratch.file("bad.csv", "firstName,email\nJane,x\n")
                let refused = try await Self.run(["enqueue", bad], conninfo)
                #expect(refused.status == 1)
                #expect(refused.stderr.hasPrefix("line 2: email: must look like name@domain"))
                #expect(refused.stdout.hasPrefix("nothing imported"))

                let header = try scratch.file("header.csv", "firstName,shoe\nJane,1\n")
                let unknown = try await Self.run(["enqueue", header], conninfo)
                #expect(unknown.status == 64)
                #expect(unknown.stderr.split(separator: "\n").count == 1 && unknown.stderr.contains("unknown column"))

                let noDatabase = try await Self.run(
                    ["enqueue", good], "host=127.0.0.1 port=1 user=x password=hunter2 connect_timeout=2")
                #expect(noDatabase.status == 75)
                #expect(noDatabase.stderr.hasPrefix("error: PostgreSQL unavailable at 127.0.0.1:1"))
                #expect(!noDatabase.stderr.contains("hunter2"))
            }
        }
    }

    @Test("export and qr from the command line")
    func exportAndQR() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                try await ProvisionedRows.insert(conninfo, count: 2)
                let export = try await Self.run(["export", "--out", scratch.path + "/out.csv"], conninfo)
                #expect(export.status == 0, "\(export.stderr)")
                #expect(export.stdout.hasPrefix("exported 2 sessions"))
                let qr = try await Self.run(["qr", "--out", scratch.path + "/qr", "--format", "png"], conninfo)
                #expect(qr.status == 0, "\(qr.stderr)")
                #expect(qr.stdout.hasPrefix("wrote 2 QR codes"))
                let badSince = try await Self.run(["qr", "--out", scratch.path + "/qr", "--since", "soon"], conninfo)
                #expect(badSince.status == 64)
            }
        }
    }
}
