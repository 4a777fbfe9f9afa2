import Foundation
import Provisioning
import SafeFiles
import SessionQueue
import Testing

/// `--metrics-file` in a directory where an attacker planted symbolic links: at every temporary name they could
/// predict, and at the target itself. Their victim must stay as it was.
@Suite("metrics file", .timeLimit(.minutes(10)))
struct MetricsFileTests {
    static func withDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "metrics-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static func summary() -> RunSummary {
        RunSummary(
            runID: 1, outcome: .completed, counts: RunCounts(), seconds: 1, sentPerMinute: 0, ratePerMinute: nil,
            pendingLeft: 0, message: nil)
    }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test("a symbolic link at a predictable temporary name or at the target leaves its victim untouched")
    func plantedLinks() throws {
        try Self.withDirectory { directory in
            let victim = directory + "/victim"
            try "root's secret\n".write(toFile: victim, atomically: false, encoding: .utf8)
            chmod(victim, 0o600)
            let target = directory + "/m.prom"
            // Every temporary name a reader of the old code could predict, for this process and its neighbours.
            let pid = ProcessInfo.processInfo.processIdentifier
            var planted: [String] = []
            for candidate in [pid, pid + 1, pid - 1] {
                planted.append(directory + "/.m.prom.\(candidate).tmp")
            }
            planted.append(directory + "/.m.prom.tmp")
            planted.append(directory + "/m.prom.tmp")
            for link in planted { #expect(symlink(victim, link) == 0) }

            try MetricsFile.write(Self.summary(), exitCode: 0, to: target)
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "root's secret\n")
            #expect(Self.mode(victim) == 0o600)
            #expect(!Self.isSymlink(target))
            #expect(try String(contentsOfFile: target, encoding: .utf8).contains("provisioner_run_exit_code 0"))
            for link in planted { #expect(Self.isSymlink(link), "\(link) was replaced or removed") }

            // A link at the target itself is replaced, never followed.
            try FileManager.default.removeItem(atPath: target)
            #expect(symlink(victim, target) == 0)
            try MetricsFile.write(Self.summary(), exitCode: 1, to: target)
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "root's secret\n")
            #expect(Self.mode(victim) == 0o600)
            #expect(!Self.isSymlink(target))
            #expect(try String(contentsOfFile: target, encoding: .utf8).contains("provisioner_run_exit_code 1"))
            #expect(Self.mode(target) == 0o644)
            // Nothing else was left behind: the victim, the target and the planted links.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(names.count == planted.count + 2, "\(names)")
        }
    }

    @Test("AtomicFile: mode 0600 by default, a link at the target is replaced, a failed write leaves nothing")
    func atomicFile() throws {
        try Self.withDirectory { directory in
            let victim = directory + "/victim"
            try "keep\n".write(toFile: victim, atomically: false, encoding: .utf8)
            let target = directory + "/out.csv"
            #expect(symlink(victim, target) == 0)
            try AtomicFile.write(Array("new\n".utf8), to: target)
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep\n")
            #expect(!Self.isSymlink(target) && Self.mode(target) == 0o600)
            let discarded = try AtomicFile(path: directory + "/never.csv")
            try discarded.write("half")
            discarded.discard()
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["out.csv", "victim"])
            #expect(throws: OutputFileError.self) { try AtomicFile(path: directory + "/missing/x.csv") }
        }
    }
}
