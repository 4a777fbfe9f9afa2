import ArgumentParser
import Support

/// A duration on the command line: `45s`, `90m`, `6h`, `1d`, `2w`, `500ms` or plain seconds, longer than zero and at
/// most about ten years (``DurationText``). Out of range or malformed, it is a usage error (exit 64), never a crash.
struct DurationArgument: ExpressibleByArgument, Sendable, Hashable {
    var duration: Duration

    init?(argument: String) {
        guard let duration = try? DurationText.parse(argument) else { return nil }
        self.duration = duration
    }

    static var defaultValueDescription: String { "duration" }
}
