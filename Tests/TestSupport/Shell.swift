import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs programs for tests with posix_spawn: output goes to files (a daemon left behind, like the server that
/// `pg_ctl start` forks, cannot hold a pipe open), and waiting happens on a Dispatch thread, never on Swift's
/// cooperative pool (blocking it would starve every other test).
public enum Shell {
    public struct Output: Sendable {
        /// The exit status, or 128 + the signal number when the program was killed.
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a program to completion and returns its exit status and output.
    /// - Parameters:
    ///   - environment: Changes to this process's environment (a `nil` value removes a variable).
    ///   - input: Text for the program's standard input (else it reads /dev/null).
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:], input: String? = nil
    ) async throws -> Output {
        let child = try ChildProcess.spawn(executable, arguments, environment: environment, input: input)
        let status = await child.wait()
        return Output(status: status, stdout: child.stdout(), stderr: child.stderr())
    }
}

/// A program started by a test, running in the background until it exits or is signalled.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let outPath: String
    private let errPath: String

    private init(pid: pid_t, outPath: String, errPath: String) {
        self.pid = pid
        self.outPath = outPath
        self.errPath = errPath
    }

    deinit {
        unlink(outPath)
        unlink(errPath)
    }

    /// Starts `executable` with `arguments`; its output is kept in temporary files.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:], input: String? = nil
    ) throws -> ChildProcess {
        let base = NSTemporaryDirectory() + "child-\(UUID().uuidString)"
        let outPath = base + ".out"
        let errPath = base + ".err"
        let inPath = base + ".in"
        if let input {
            try input.write(toFile: inPath, atomically: false, encoding: .utf8)
        }
        defer { if input != nil { unlink(inPath) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw TestSetupError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, outPath: outPath, errPath: errPath)
    }

    /// Waits for the program to exit.
    /// - Returns: Its exit status, or 128 + the signal number when a signal ended it.
    public func wait() async -> Int32 {
        let pid = pid
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
        }
    }

    /// Sends a signal (SIGTERM, SIGINT, SIGKILL...).
    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// What the program has written to standard output so far.
    public func stdout() -> String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    /// What the program has written to standard error so far.
    public func stderr() -> String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Waits until standard output contains `text`, or the timeout passes.
    ///
    /// The timeout only turns a program that never says it into a failure instead of a hang: keep it generous (a
    /// busy machine may take many seconds to start a program).
    /// - Returns: Whether the text appeared.
    public func waitForOutput(containing text: String, timeout: Duration = .seconds(120)) async -> Bool {
        await waitFor(timeout: timeout) { stdout().contains(text) }
    }

    /// Waits until standard error (the program's log) contains `text`, or the timeout passes.
    /// - Returns: Whether the text appeared.
    public func waitForError(containing text: String, timeout: Duration = .seconds(120)) async -> Bool {
        await waitFor(timeout: timeout) { stderr().contains(text) }
    }

    private func waitFor(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}
