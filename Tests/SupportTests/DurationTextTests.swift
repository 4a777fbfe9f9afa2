import Support
import Testing

@Suite("Durations typed by people")
struct DurationTextTests {
    @Test(
        "Units, decimals and plain seconds",
        arguments: [
            ("45s", Duration.seconds(45)), ("90m", .seconds(5_400)), ("6h", .seconds(21_600)), ("1d", .seconds(86_400)),
            ("2w", .seconds(1_209_600)), ("500ms", .milliseconds(500)), ("1.5h", .seconds(5_400)), ("30", .seconds(30)),
            (" 7D ", .seconds(604_800)),
        ])
    func parses(text: String, expected: Duration) throws {
        #expect(try DurationText.parse(text) == expected)
    }

    @Test(
        "Overflowing, negative, non-finite and malformed values are errors, never a crash",
        arguments: [
            "99999999999999999w", "1e300d", "3661d", "-5s", "inf", "nan", "1e3s", "", "s", "1.2.3s", "5x", "0x10s",
            "+5s", "٣s",
        ])
    func refuses(text: String) {
        #expect(throws: DurationText.Failure.self) { try DurationText.parse(text) }
    }

    @Test("Zero only when allowed")
    func zero() throws {
        #expect(throws: DurationText.Failure.self) { try DurationText.parse("0s") }
        #expect(try DurationText.parse("0s", allowZero: true) == .zero)
    }

    @Test("The upper bound is part of the message")
    func message() {
        do {
            _ = try DurationText.parse("9999d")
            Issue.record("9999d was accepted")
        } catch {
            #expect(error.message.contains("too long"))
        }
    }
}

@Suite("Civil dates")
struct CivilDateTests {
    @Test("Round trip over four centuries, leap days included")
    func roundTrip() {
        for days in stride(from: -150_000, through: 150_000, by: 37) {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(date.isValid)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CivilDate(year: 2000, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 1900, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2025, month: 4, day: 31).isValid)
        #expect(!CivilDate(year: 2025, month: 13, day: 1).isValid)
    }
}
