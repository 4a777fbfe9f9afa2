import Foundation
import TestSupport

/// Shared pieces of the fuzz suites: a scratch file, and a place to collect failing cases by seed.
enum Fuzz {
    /// How many cases each suite runs (a few thousand: seconds in a debug build).
    static let cases = 3000

    /// Runs `body` with the path of a scratch file that holds `bytes`, removed afterwards.
    static func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "fuzz-" + UUID().uuidString
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        return try body(path)
    }

    /// Random bytes, biased towards the ones a parser treats specially.
    static func randomBytes(_ rng: inout SplitMix64, interesting: [UInt8], maxCount: Int = 400) -> [UInt8] {
        (0..<Int.random(in: 0...maxCount, using: &rng)).map { _ in
            Bool.random(using: &rng) ? rng.pick(interesting) : UInt8.random(in: 0...255, using: &rng)
        }
    }

    /// The number of lines in `bytes` as an editor counts them (LF, CRLF or CR end a line).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A && previous != 0x0D || byte == 0x0D { lines += 1 }
            previous = byte
        }
        return lines
    }
}

/// Failing cases of one suite, by case number, kept short for the report.
struct FuzzFailures: CustomStringConvertible {
    private(set) var cases: [String] = []

    mutating func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition && cases.count < 10 { cases.append(message()) }
    }

    var isEmpty: Bool { cases.isEmpty }
    var description: String { cases.joined(separator: "\n") }
}
