import Support

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses HTTP `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
    /// The delay `value` asks for, clamped to `0...maximum`.
    ///
    /// - Parameters:
    ///   - value: The header value: `120`, `1.5` (lenient), or an IMF-fixdate, RFC 850 or asctime date.
    ///   - maximum: The longest delay accepted; longer ones are clamped to it.
    ///   - now: The current time as seconds since 1970 (UTC); defaults to the system clock.
    /// - Returns: The delay, or `nil` if the value is neither a number nor a date.
    public static func parse(_ value: String, maximum: Duration, now: Int64? = nil) -> Duration? {
        let trimmed = value.trimmingWhitespace()
        let delay: Duration
        if let seconds = Int64(trimmed) {
            delay = .seconds(seconds)
        } else if isDecimal(trimmed), let seconds = Double(trimmed) {
            delay = .milliseconds(Int64((min(seconds, 1e9) * 1000).rounded(.up)))
        } else if let date = httpDate(trimmed) {
            delay = .seconds(date - (now ?? currentUnixTime()))
        } else {
            return nil
        }
        return min(max(delay, .zero), maximum)
    }

    /// `digits.digits`: a lenient reading of delay-seconds (RFC 9110 allows only an integer).
    private static func isDecimal(_ value: String) -> Bool {
        let parts = value.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { (0x30...0x39).contains($0) } }
    }

    /// Seconds since 1970 for an HTTP-date in any of the three formats RFC 9110 asks recipients to accept.
    static func httpDate(_ value: String) -> Int64? {
        let tokens = value.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT  → [Sun, 06, Nov, 1994, 08:49:37, GMT]
        if tokens.count == 6, tokens[5] == "GMT", let day = Int(tokens[1]), let month = month(tokens[2]),
            let year = Int(tokens[3]), tokens[3].count == 4
        {
            return unixTime(year: year, month: month, day: day, time: tokens[4])
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT  → [Sunday, 06-Nov-94, 08:49:37, GMT]
        if tokens.count == 4, tokens[3] == "GMT" {
            let parts = tokens[1].split(separator: "-")
            guard parts.count == 3, let day = Int(parts[0]), let month = month(String(parts[1])),
                let shortYear = Int(parts[2])
            else { return nil }
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            guard parts[2].count == 2 || parts[2].count == 4 else { return nil }
            let year = parts[2].count == 4 ? shortYear : (shortYear < 70 ? 2000 + shortYear : 1900 + shortYear)
            return unixTime(year: year, month: month, day: day, time: tokens[2])
        }
        // asctime: Sun Nov  6 08:49:37 1994  → [Sun, Nov, 6, 08:49:37, 1994]
        if tokens.count == 5, let month = month(tokens[1]), let day = Int(tokens[2]), let year = Int(tokens[4]) {
            return unixTime(year: year, month: month, day: day, time: tokens[3])
        }
        return nil
    }

    private static func month(_ name: String) -> Int? {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return names.firstIndex(of: name).map { $0 + 1 }
    }

    private static func unixTime(year: Int, month: Int, day: Int, time: String) -> Int64? {
        let hms = time.split(separator: ":").compactMap { Int($0) }
        // Years outside 1...9999 are no HTTP-date; bounding them also keeps the arithmetic below from overflowing.
        guard hms.count == 3, (0...23).contains(hms[0]), (0...59).contains(hms[1]), (0...60).contains(hms[2]),
            (1...31).contains(day), (1...12).contains(month), (1...9999).contains(year)
        else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        return Int64(days) * 86_400 + Int64(hms[0] * 3600 + hms[1] * 60 + hms[2])
    }

    static func currentUnixTime() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }

    /// Formats `unixTime` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), as servers send it.
    public static func imfFixdate(unixTime: Int64) -> String {
        let days = Int(unixTime.dividedFloor(by: 86_400))
        let seconds = Int(unixTime - Int64(days) * 86_400)
        let date = CivilDate(daysSinceEpoch: Int(days))
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday.
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(two(date.day)) \(months[date.month - 1]) \(date.year) "
            + "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)) GMT"
    }
}

extension Int64 {
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
