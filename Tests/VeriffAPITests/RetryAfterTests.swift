import Testing
import VeriffAPI

@Suite("Retry-After parsing")
struct RetryAfterTests {
    /// 1994-11-06 08:49:37 UTC.
    static let now: Int64 = 784_111_777
    static let cap = Duration.seconds(300)

    @Test("delay-seconds, clamped to 0...maximum")
    func seconds() {
        #expect(RetryAfter.parse("120", maximum: Self.cap) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", maximum: Self.cap) == .zero)
        #expect(RetryAfter.parse("1.5", maximum: Self.cap) == .milliseconds(1500))
        #expect(RetryAfter.parse("86400", maximum: Self.cap) == Self.cap)
        #expect(RetryAfter.parse("-5", maximum: Self.cap) == .zero)
    }

    @Test("HTTP dates in all three formats, relative to now")
    func dates() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", maximum: Self.cap, now: Self.now) == .seconds(30))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:50:37 GMT", maximum: Self.cap, now: Self.now) == .seconds(60))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:47 1994", maximum: Self.cap, now: Self.now) == .seconds(10))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", maximum: Self.cap, now: Self.now) == .zero)
        #expect(RetryAfter.parse("Mon, 07 Nov 1994 08:49:37 GMT", maximum: Self.cap, now: Self.now) == Self.cap)
    }

    @Test("imfFixdate round-trips")
    func format() {
        #expect(RetryAfter.imfFixdate(unixTime: Self.now) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(RetryAfter.imfFixdate(unixTime: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        let later = RetryAfter.imfFixdate(unixTime: Self.now + 45)
        #expect(RetryAfter.parse(later, maximum: Self.cap, now: Self.now) == .seconds(45))
    }

    @Test(
        "garbage is nil",
        arguments: ["", "soon", "1e3", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "nan"])
    func garbage(_ value: String) {
        #expect(RetryAfter.parse(value, maximum: Self.cap, now: Self.now) == nil)
    }
}
