import Foundation

/// The `provisioner` executable that `swift build --build-tests` (scripts/test) builds beside the test bundle: the
/// one place tests look for it.
public enum ProvisionerExecutable {
    /// Its path.
    /// - Throws: ``TestSetupError`` when it was not built.
    public static func path() throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("provisioner") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestSetupError("build the provisioner product first (swift build --build-tests builds it)")
        }
        return found.path
    }

    /// Its URL.
    public static func url() throws -> URL { URL(fileURLWithPath: try path()) }
}
