import Foundation
import Support

/// How the dashboard writes numbers, times and durations: plain, in UTC, the same on every machine.
enum DashboardFormat {
    /// `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A rate: whole numbers from 10 up, one decimal below (`588`, `2.5`).
    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value >= 10 { return count(Int(value.rounded())) }
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// The UTC calendar fields of `date`: integer arithmetic on the seconds since 1970 and ``CivilDate`` (no
    /// `Calendar` per call: a chart formats a time for each of up to 1,440 minutes).
    private static func fields(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (dayShift, second) = secondOfDay < 0 ? (-1, secondOfDay + 86_400) : (0, secondOfDay)
        let civil = CivilDate(daysSinceEpoch: days + dayShift)
        return (civil.year, civil.month, civil.day, second / 3600, second % 3600 / 60, second % 60)
    }

    private static func two(_ value: Int) -> String {
        return value < 10 ? "0\(value)" : "\(value)"
    }

    /// `16:42`, UTC.
    static func clock(_ date: Date) -> String {
        let f = fields(date)
        return "\(two(f.hour)):\(two(f.minute))"
    }

    /// `16:42:05 UTC`.
    static func clockWithSeconds(_ date: Date) -> String {
        let f = fields(date)
        return "\(two(f.hour)):\(two(f.minute)):\(two(f.second)) UTC"
    }

    /// `2026-12-03 16:42 UTC`.
    static func dateTime(_ date: Date) -> String {
        let f = fields(date)
        return "\(f.year)-\(two(f.month))-\(two(f.day)) \(two(f.hour)):\(two(f.minute)) UTC"
    }

    /// `2026-12-03T16:42:00Z` (data attributes, `<time datetime>`).
    static func iso(_ date: Date) -> String {
        let f = fields(date)
        return "\(f.year)-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))Z"
    }

    /// `45 s`, `12 min`, `2 h 15 min`, `3 d 4 h`.
    static func duration(_ duration: Duration) -> String {
        let seconds = max(0, Int((duration / .seconds(1)).rounded()))
        if seconds < 60 { return "\(seconds) s" }
        let minutes = (seconds + 30) / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 48 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(minutes % 60) min" }
        let days = hours / 24
        return hours % 24 == 0 ? "\(days) d" : "\(days) d \(hours % 24) h"
    }

    /// `3 min ago`, `in 2 h` (relative to `now`).
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        if abs(seconds) < 1 { return "now" }
        let text = duration(.seconds(abs(seconds)))
        return seconds < 0 ? "\(text) ago" : "in \(text)"
    }
}
