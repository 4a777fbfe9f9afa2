import Foundation

/// Durations typed by people: `500ms`, `45s`, `90m`, `6h`, `1.5d`, `2w`, or a plain number of seconds.
///
/// The one parser behind every duration on the command line (`run --max-duration`, `qr --since`): it range-checks,
/// so `1e300d` or `99999999999999999w` is an error, never an overflow.
public enum DurationText {
    /// Why a text is not an acceptable duration; `message` says which rule it breaks.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The units, longest suffix first so `ms` wins over `s`.
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800),
    ]

    /// Parses a duration.
    /// - Parameters:
    ///   - text: `90s`, `15m`, `6h`, `1d`, `2w`, `500ms`, or seconds (`45`, `1.5`); surrounding spaces are ignored.
    ///   - allowZero: Whether `0` is acceptable. Defaults to false.
    ///   - maximum: The longest acceptable duration. Defaults to 3,660 days (about ten years).
    /// - Returns: The duration, rounded to the millisecond.
    /// - Throws: ``Failure`` for text that is not a duration, or one out of range.
    public static func parse(_ text: String, allowZero: Bool = false, maximum: Duration = .seconds(3_660 * 86_400))
        throws(Failure) -> Duration
    {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = Substring(trimmed)
        var factor = 1.0
        if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            number = trimmed.dropLast(unit.suffix.count)
            factor = unit.seconds
        }
        // Digits and one dot only: no signs, exponents, "inf" or "nan" (Double(_:) takes all of those).
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            number.filter({ $0 == "." }).count <= 1, let value = Double(number)
        else {
            throw Failure(message: "\"\(text)\" is not a duration (examples: 45s, 90m, 6h, 1d, 2w)")
        }
        let seconds = value * factor
        let maximumSeconds = maximum / .seconds(1)
        guard seconds <= maximumSeconds else {
            throw Failure(message: "\"\(text)\" is too long (at most \(describe(maximum)))")
        }
        guard seconds > 0 || (allowZero && seconds == 0) else {
            throw Failure(message: "\"\(text)\" must be longer than zero")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// A short text for a duration: `6h`, `90m`, `45s`, `2d`.
    public static func describe(_ duration: Duration) -> String {
        let seconds = duration / .seconds(1)
        for (suffix, size) in units.reversed()
        where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int64(seconds / size))\(suffix)"
        }
        return "\(seconds)s"
    }
}
