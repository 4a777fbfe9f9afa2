import Foundation
import Postgres
import TestSupport
import Testing

/// 300 MB of one field or one line, through the real binary under /usr/bin/time: refused with a message naming the
/// line, in bounded memory.
@Suite("enqueue hostile input", .serialized, .timeLimit(.minutes(10)))
struct EnqueueHostileInputTests {
    static let size = 300 * 1024 * 1024

    /// Writes `head`, then `size` bytes of `filler` in 1 MiB pieces, then `tail`.
    static func generate(_ path: String, head: String, filler: UInt8, tail: String = "") throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        handle.write(Data(head.utf8))
        let piece = Data(repeating: filler, count: 1 << 20)
        for _ in 0..<(size >> 20) { handle.write(piece) }
        handle.write(Data(tail.utf8))
    }

    /// Runs `provisioner enqueue` under `/usr/bin/time` and returns its exit status, stderr and peak RSS in KiB.
    static func measure(_ arguments: [String], _ conninfo: String) async throws -> (
        status: Int32, stdout: String, stderr: String, peakKiB: Int
    ) {
        let result = try await Shell.run(
            "/usr/bin/time", ["-f", "peak-rss-kib=%M", Package.provisioner, "enqueue"] + arguments,
            environment: ["DATABASE_URL": conninfo])
        let line = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-rss-kib=") })
        let peak = try #require(Int(line.dropFirst("peak-rss-kib=".count)))
        return (result.status, result.stdout, result.stderr, peak)
    }

    @Test("a 300 MB unclosed quoted CSV field is refused naming its line, peak RSS under 100 MiB")
    func unclosedQuotedField() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = scratch.path + "/unclosed.csv"
                try Self.generate(path, head: "firstName,fullAddress\nJane,Pikk 1\nEvil,\"", filler: UInt8(ascii: "a"))
                let run = try await Self.measure([path, "--skip-invalid"], conninfo)
                print("enqueue of a 300 MB unclosed quoted field: exit \(run.status), peak \(run.peakKiB) KiB")
                #expect(run.status == 1, "\(run.stderr)")
                #expect(
                    run.stderr.contains("line 3: a quoted field opened on line 3 is never closed"), "\(run.stderr)")
                #expect(run.stdout.hasPrefix("2 rows read, 1 enqueued"), "\(run.stdout)")
                #expect(run.peakKiB < 100 * 1024)
                // The rejects file names the line without holding the field.
                let rejects = try FileManager.default.attributesOfItem(atPath: path + ".rejects.csv")
                #expect(((rejects[.size] as? NSNumber)?.intValue ?? .max) < 4096)
            }
        }
    }

    @Test("a 300 MB JSONL line is refused naming its line, peak RSS under 100 MiB")
    func hugeJSONLLine() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let path = scratch.path + "/huge.jsonl"
                try Self.generate(
                    path, head: #"{"vendorData": "ok"}"# + "\n" + #"{"fullAddress": ""#, filler: UInt8(ascii: "b"),
                    tail: "\"}\n" + #"{"vendorData": "ok2"}"# + "\n")
                let run = try await Self.measure([path], conninfo)
                print("enqueue of a 300 MB JSONL line: exit \(run.status), peak \(run.peakKiB) KiB")
                #expect(run.status == 1, "\(run.stderr)")
                #expect(run.stderr.contains("line 2: is longer than 65536 bytes"), "\(run.stderr)")
                #expect(run.stdout.hasPrefix("nothing imported (1 invalid rows"), "\(run.stdout)")
                #expect(run.stdout.contains("3 rows read"), "\(run.stdout)")
                #expect(run.peakKiB < 100 * 1024)
            }
        }
    }
}
