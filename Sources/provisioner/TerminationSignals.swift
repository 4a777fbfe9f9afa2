import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM as an async sequence: the default handlers are replaced while this value lives, so a long-lived
/// command (run, webhooks, mock-veriff) can stop gracefully instead of dying mid-request.
// Unchecked: `sources` is written in init and read in deinit only; the stream itself is Sendable.
final class TerminationSignals: @unchecked Sendable {
    private let stream: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        self.sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// Waits for the next signal and returns its number; `nil` when the waiting task is cancelled.
    func next() async -> Int32? {
        for await number in stream { return number }
        return nil
    }

    deinit {
        sources.forEach { $0.cancel() }
        [SIGINT, SIGTERM].forEach { signal($0, SIG_DFL) }
    }
}
