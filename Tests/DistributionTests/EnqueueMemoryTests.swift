import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

/// A million-row import: the real binary under /usr/bin/time, peak memory measured.
@Suite("enqueue memory", .serialized, .timeLimit(.minutes(20)))
struct EnqueueMemoryTests {
    /// Writes a CSV of `rows` valid end-users in 1 MiB pieces, on a Dispatch thread: seconds of string work would
    /// otherwise hold one of the few threads that the tests running beside this one share.
    static func generate(_ path: String, rows: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try write(path, rows: rows) })
            }
        }
    }

    private static func write(_ path: String, rows: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var chunk = "firstName,lastName,email,dateOfBirth,gender,vendorData,documentCountry,documentType\r\n"
        for index in 1...rows {
            chunk +=
                "First\(index),\"Last, \(index)\",user\(index)@example.com,1990-01-01,F,vendor-\(index),EE,PASSPORT\r\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }

    /// Runs `provisioner enqueue` under `/usr/bin/time -f %M` and returns its peak RSS in KiB and the seconds taken.
    static func measure(_ path: String, _ conninfo: String) async throws -> (
        peakKiB: Int, seconds: Double, stdout: String
    ) {
        let start = ContinuousClock.now
        let result = try await Shell.run(
            "/usr/bin/time", ["-f", "peak-rss-kib=%M", Package.provisioner, "enqueue", path],
            environment: ["DATABASE_URL": conninfo])
        let elapsed = ContinuousClock.now - start
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("peak-rss-kib=") })
        let peak = try #require(Int(line.dropFirst("peak-rss-kib=".count)))
        return (peak, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, result.stdout)
    }

    @Test("1,000,000 rows import in one transaction with the same peak memory as 100,000")
    func millionRows() async throws {
        try await TestDatabase.withFresh { conninfo in
            try await Scratch.with { scratch in
                let small = scratch.path + "/100k.csv"
                let large = scratch.path + "/1m.csv"
                try await Self.generate(small, rows: 100_000)
                try await Self.generate(large, rows: 1_000_000)
                let smallRun = try await Self.measure(small, conninfo)
                #expect(smallRun.stdout.hasPrefix("100000 rows read, 100000 enqueued"))
                _ = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.execute("TRUNCATE session_queue CASCADE")
                }
                let largeRun = try await Self.measure(large, conninfo)
                #expect(largeRun.stdout.hasPrefix("1000000 rows read, 1000000 enqueued"))
                let count = try await TestDatabase.withConnection(conninfo) { db in
                    try await db.query("SELECT count(*)::bigint AS n FROM session_queue")[0].decode("n", as: Int.self)
                }
                #expect(count == 1_000_000)
                print(
                    "enqueue memory: 100k rows peak \(smallRun.peakKiB) KiB in \(smallRun.seconds) s; "
                        + "1M rows peak \(largeRun.peakKiB) KiB in \(largeRun.seconds) s "
                        + "(\(Int(1_000_000 / largeRun.seconds)) rows/s)")
                // Flat: ten times the rows may not cost more than 8 MiB more (the allocator's slack), and stays
                // far below what holding the file would take (the 1M-row file is ~95 MB).
                #expect(largeRun.peakKiB < smallRun.peakKiB + 8 * 1024)
                #expect(largeRun.peakKiB < 64 * 1024)
            }
        }
    }
}
