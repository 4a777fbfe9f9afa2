import Foundation

/// The start of a `--since` window, typed by people: an ISO 8601 date or date-time, or a duration back from now.
///
/// The one parser behind every `--since` (`qr --since`, `rows --since`); durations are ``DurationText``'s.
public enum SinceText: Sendable, Hashable {
    /// At or after this instant.
    case instant(Date)
    /// Within this long before now.
    case within(Duration)

    /// Parses `2025-03-01`, `2025-03-01T09:00:00Z` (any ISO 8601 offset, optional fractional seconds), or a
    /// duration such as `90m`, `24h`, `7d`, `2w` (at most about ten years: see ``DurationText``).
    /// - Returns: `nil` when the text is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let duration = try? DurationText.parse(trimmed, allowZero: true) {
            self = .within(duration)
            return
        }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: trimmed) {
                self = .instant(date)
                return
            }
        }
        return nil
    }

    /// What a `--since` option says it takes, for help texts and errors.
    public static let syntax =
        "a date (2025-03-01), a date-time (2025-03-01T09:00:00Z) or a duration up to 3660d (24h, 7d)"

    /// The instant the window starts.
    /// - Parameter now: The current time.
    public func start(now: Date) -> Date {
        switch self {
        case .instant(let date): date
        case .within(let duration): now.addingTimeInterval(-(duration / .seconds(1)))
        }
    }
}
