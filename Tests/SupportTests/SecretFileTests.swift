import Foundation
import Support
import Testing

@Suite("Secret files named on the command line")
struct SecretFileTests {
    /// A fresh private directory for one test's files.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secret-file-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test("A secret file's contents come back as they are")
    func readsContents() throws {
        try Self.withDirectory { directory in
            let path = directory + "/key"
            try Data("0123456789abcdef\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try SecretFile.read(path) == "0123456789abcdef\n")
        }
    }

    @Test("A file larger than the bound, a directory or a missing file is refused with a reason, not read")
    func refusesWhatIsNotASecret() throws {
        try Self.withDirectory { directory in
            let large = directory + "/large"
            try Data(repeating: UInt8(ascii: "k"), count: SecretFile.maximumBytes + 1).write(
                to: URL(fileURLWithPath: large))
            let tooLarge = #expect(throws: SecretFileError.self) { try SecretFile.read(large) }
            #expect(tooLarge?.reason.contains("larger than 64 KiB") == true)
            #expect(tooLarge?.reason.contains("kkkk") == false)

            let isDirectory = #expect(throws: SecretFileError.self) { try SecretFile.read(directory) }
            #expect(isDirectory?.reason == "it is a directory")

            #expect(throws: SecretFileError.self) { try SecretFile.read(directory + "/missing") }
        }
    }

    @Test("/dev/zero is refused after reading at most the bound")
    func endlessFileIsBounded() throws {
        let error = #expect(throws: SecretFileError.self) { try SecretFile.read("/dev/zero") }
        #expect(error?.reason.contains("larger than") == true)
    }
}
