import CLibPQ
import Foundation
import TestSupport
import Testing

@testable import Postgres

/// Seeded random connection strings whose passwords use letters nothing else in them (nor libpq's messages) uses:
/// `describe` and `scrub` of libpq's own parse error, or of a host-name error, never show one of those letters.
@Suite("fuzz: connection strings", .timeLimit(.minutes(10)))
struct ConnectionStringFuzzTests {
    /// Only passwords use these.
    static let secretLetters: Set<Character> = ["Q", "X", "Z"]
    static let passwordAlphabet = Array("QXZQXZ@@/?:#%&= '\"\\[]")
    static let plainAlphabet = Array("abcdefghijklm0123456789")

    static func word(_ rng: inout SplitMix64, _ alphabet: [Character], _ range: ClosedRange<Int>) -> String {
        String((0..<Int.random(in: range, using: &rng)).map { _ in rng.pick(alphabet) })
    }

    /// A URI or keyword string with a password (at least one secret letter in it).
    static func conninfo(_ rng: inout SplitMix64) -> String {
        let password = "Q" + word(&rng, passwordAlphabet, 0...10) + "X"
        let user = word(&rng, plainAlphabet, 1...6)
        let host = rng.pick(["127.0.0.1", "db.internal", "[::1]", word(&rng, plainAlphabet, 1...8)])
        let database = word(&rng, plainAlphabet, 1...6)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "postgresql://\(user):\(password)@\(host):5432/\(database)"
        case 1: return "postgres://\(user):\(password)@\(host)/\(database)?sslmode=\(rng.pick(["require", "bogus"]))"
        case 2: return "host=\(host) user=\(user) password=\(password) dbname=\(database)"
        default: return "postgresql://\(host)/\(database)?user=\(user)&password=\(password)"
        }
    }

    /// libpq's own error text for a string it cannot parse, if it cannot.
    static func libpqParseError(_ conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(conninfo, &error) {
            PQconninfoFree(options)
            return nil
        }
        defer { if let error { PQfreemem(error) } }
        return error.map { String(cString: $0) }
    }

    @Test("random and mutated strings: describe and scrub never show a letter of the password")
    func noPasswordLetters() {
        var rng = SplitMix64(seed: 0xDB_0001)
        var failures = FuzzFailures()
        for index in 0..<Fuzz.cases {
            var conninfo = Self.conninfo(&rng)
            if index % 2 == 1 {
                // Mutations may only add plain characters or separators, so every secret letter is still a password's.
                let mutated = rng.mutate(Array(conninfo.utf8), interesting: Array("@/?:= '\"abc".utf8))
                conninfo = String(decoding: mutated.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
            }
            // A mutation that took away `password=`, or the `:` before a URI's last `@`, leaves no password to
            // protect: such strings are only checked for crashes.
            let credentials = conninfo.range(of: "://").flatMap { scheme in
                conninfo[scheme.upperBound...].lastIndex(of: "@").map { conninfo[scheme.upperBound..<$0] }
            }
            let hasPassword = conninfo.contains("password=") || credentials?.contains(":") == true
            func leaks(_ text: String) -> Bool { hasPassword && text.contains { Self.secretLetters.contains($0) } }
            let place = ConnectionString.describe(conninfo)
            failures.check(!leaks(place), "case \(index): describe(\(conninfo)) = \(place)")
            // libpq quotes what it echoes: its parse errors, and the host, port or database it could not use.
            var messages: [String] = []
            if let parseError = Self.libpqParseError(conninfo) { messages.append(parseError) }
            if let host = ConnectionString.parse(conninfo)["host"] {
                messages.append("could not translate host name \"\(host)\" to address: Name or service not known")
            }
            if let port = ConnectionString.parse(conninfo)["port"] {
                messages.append("invalid integer value \"\(port)\" for connection option \"port\"")
            }
            if let database = ConnectionString.parse(conninfo)["dbname"] {
                messages.append("database \"\(database)\" does not exist")
            }
            for message in messages {
                let scrubbed = ConnectionString.scrub(message, conninfo: conninfo)
                failures.check(!leaks(scrubbed), "case \(index): scrub(\(message)) for \(conninfo) = \(scrubbed)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
