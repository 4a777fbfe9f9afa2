import Foundation
import TestSupport
import Testing

/// `provisioner mock-veriff`'s options for a fixed window, another system and Retry-After styles: checked on the
/// command line (exit 64, the option named), before anything listens.
@Suite("provisioner mock-veriff: cap options", .timeLimit(.minutes(10)))
struct MockVeriffCapOptionsTests {
    private func executable() throws -> URL { try ProvisionerExecutable.url() }

    @Test(
        "out-of-range values are refused with exit 64 and the option's name",
        arguments: [
            (["--window-kind", "hourly"], "--window-kind"), (["--retry-after-style", "never"], "--retry-after-style"),
            (["--background-rate", "-1"], "--background-rate"), (["--background-rate", "1e9"], "--background-rate"),
            (["--background-rate", "nan"], "--background-rate"), (["--window", "0"], "--window"),
            (["--retry-after", "-5"], "--retry-after"),
        ])
    func refused(_ arguments: [String], _ option: String) throws {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["mock-veriff", "--port", "0"] + arguments
        process.environment = ["VERIFF_API_KEY": StandInTesting.apiKey]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 64, "\(message)")
        #expect(message.contains(option), "\(message)")
    }
}
