import Foundation

/// The start of the `--since` window: an ISO 8601 date or date-time, or a duration back from now.
public enum QRSince: Sendable, Hashable {
    /// Sessions provisioned at or after this instant.
    case instant(Date)
    /// Sessions provisioned within this long before now (the database's clock).
    case within(Duration)

    /// Parses `2025-03-01`, `2025-03-01T09:00:00Z` (any ISO 8601 offset, optional fractional seconds), or a
    /// duration such as `90m`, `24h`, `7d`, `2w`.
    /// - Returns: `nil` when the text is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces()
        if let unit = trimmed.last, let count = Int64(trimmed.dropLast()), count >= 0 {
            let seconds: Int64? =
                switch unit {
                case "s": 1
                case "m": 60
                case "h": 3_600
                case "d": 86_400
                case "w": 604_800
                default: nil
                }
            guard let seconds else { return nil }
            self = .within(.seconds(count * seconds))
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
}
