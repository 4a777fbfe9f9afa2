import TestSupport
import Testing
import VeriffAPI

/// Seeded random and mutated `Retry-After` values: never a crash, always `nil` or a delay within `0...maximum`.
@Suite("fuzz: Retry-After", .timeLimit(.minutes(10)))
struct RetryAfterFuzzTests {
    static let corpus = [
        "120", "0", "1.5", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994", "Wed, 21 Oct 2015 07:28:00 GMT", "9223372036854775807", "-1",
        "Sun Nov  6 08:49:37 99999999999999999", "Sunday, 06-Nov-9223372036854775807 08:49:37 GMT",
    ]

    static let interesting: [UInt8] = Array("0123456789 ,.:-GMTSunNovJan".utf8) + [0, 0xFF]

    @Test("random and mutated values: nil or a delay in 0...maximum")
    func values() {
        var rng = SplitMix64(seed: 0x4E7_0001)
        var failures = FuzzFailures()
        let maximum = Duration.seconds(3600)
        let now: Int64 = 1_764_515_506
        for index in 0..<Fuzz.cases {
            let bytes =
                index % 4 == 0
                ? Fuzz.randomBytes(&rng, interesting: Self.interesting, maxCount: 60)
                : rng.mutate(Array(rng.pick(Self.corpus).utf8), interesting: Self.interesting)
            let value = String(decoding: bytes, as: UTF8.self)
            if let delay = RetryAfter.parse(value, maximum: maximum, now: now) {
                failures.check(
                    delay >= .zero && delay <= maximum, "case \(index): \(value.debugDescription) → \(delay)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("dates with huge years are no dates (they used to overflow)")
    func hugeYears() {
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 99999999999999999", maximum: .seconds(60), now: 0) == nil)
        #expect(RetryAfter.parse("Sunday, 06-Nov-9223372036854775807 08:49:37 GMT", maximum: .seconds(60)) == nil)
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 -9223372036854775807", maximum: .seconds(60)) == nil)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", maximum: .seconds(60), now: 0) == .seconds(60))
    }
}
