import Foundation
import Testing

@testable import OperatorServer

/// The dashboard's times are UTC and computed without a Calendar: they must agree with Foundation's, around midnight,
/// leap days and before 1970 too.
@Suite("dashboard: times and numbers as the page writes them")
struct DashboardFormatTests {
    @Test("iso, clock and date-time agree with ISO8601DateFormatter in UTC")
    func timesAgreeWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for text in [
            "2026-12-03T16:42:05Z", "2024-02-29T23:59:59Z", "2025-01-01T00:00:00Z", "1969-12-31T23:59:30Z",
            "2000-03-01T12:00:00Z",
        ] {
            let date = formatter.date(from: text)!
            #expect(DashboardFormat.iso(date) == text)
            #expect(DashboardFormat.clock(date) == String(text.dropFirst(11).prefix(5)))
            #expect(DashboardFormat.clockWithSeconds(date) == String(text.dropFirst(11).prefix(8)) + " UTC")
            #expect(
                DashboardFormat.dateTime(date) == "\(text.prefix(10)) \(text.dropFirst(11).prefix(5)) UTC")
        }
    }

    @Test("counts with thousands separators, rates with one decimal below 10")
    func numbers() {
        #expect(DashboardFormat.count(1_234_567) == "1,234,567")
        #expect(DashboardFormat.count(-1000) == "-1,000")
        #expect(DashboardFormat.rate(588) == "588")
        #expect(DashboardFormat.rate(2.5) == "2.5")
        #expect(DashboardFormat.rate(3) == "3")
    }
}
