/// What this binary is and what it was built from: `provisioner --version` prints ``versionLine``.
///
/// The commit is recorded by `scripts/build-info` (which `scripts/build`, `scripts/test`, `scripts/demo` and
/// `scripts/man` run before building) in `Sources/provisioner/BuildCommit.swift`, a gitignored file that adds the
/// conformance to ``RecordedBuildCommit``. A build without that file (a plain `swift build` of a fresh clone, or a
/// source tarball) still compiles and says `commit unknown`. A script rather than a SwiftPM build-tool plugin: a
/// plugin's `git` may be refused by the plugin sandbox or find no repository, and a prebuild command that rewrites a
/// source file on every build would recompile this target every time.
enum BuildInfo {
    /// The release version.
    static let version = "0.1.0"

    /// The commit the binary was built from (`3f2a9c1b7e2d`, with `-dirty` when the work tree had uncommitted
    /// changes), or `unknown`.
    static var commit: String {
        (BuildInfo.self as Any as? any RecordedBuildCommit.Type)?.recordedCommit ?? "unknown"
    }

    /// `0.1.0 (commit 3f2a9c1b7e2d)`.
    static var versionLine: String { "\(version) (commit \(commit))" }
}

/// Implemented by the generated `BuildCommit.swift` (see ``BuildInfo``).
protocol RecordedBuildCommit {
    /// The commit `scripts/build-info` found.
    static var recordedCommit: String { get }
}
