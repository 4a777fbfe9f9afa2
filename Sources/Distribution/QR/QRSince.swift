import Foundation
import Support

/// The start of the `--since` window: an ISO 8601 date or date-time, or a duration back from now.
public enum QRSince: Sendable, Hashable {
    /// Sessions provisioned at or after this instant.
    case instant(Date)
    /// Sessions provisioned within this long before now.
    case within(Duration)

    /// Parses `2025-03-01`, `2025-03-01T09:00:00Z` (any ISO 8601 offset, optional fractional seconds), or a
    /// duration such as `90m`, `24h`, `7d`, `2w` (at most about ten years: see ``DurationText``).
    /// - Returns: `nil` when the text is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces()
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

    /// The instant the window starts.
    /// - Parameter now: The current time.
    public func start(now: Date) -> Date {
        switch self {
        case .instant(let date): date
        case .within(let duration): now.addingTimeInterval(-(duration / .seconds(1)))
        }
    }
}
