import Foundation
import SessionQueue
import Testing

@Suite("session status ordering")
struct StatusTransitionTests {
    private let early = Date(timeIntervalSince1970: 1_700_000_000)
    private var late: Date { early.addingTimeInterval(60) }

    @Test(
        "ranks move forward, never back, never out of a final status",
        arguments: [
            (nil, SessionStatus.started, StatusTransition.apply),
            (.created, .started, .apply),
            (.started, .submitted, .apply),
            (.submitted, .started, .older),
            (.submitted, .approved, .apply),
            (.started, .declined, .apply),
            (.review, .approved, .apply),
            (.review, .submitted, .older),
            (.approved, .declined, .final),
            (.approved, .started, .final),
            (.declined, .resubmissionRequested, .final),
            (.expired, .started, .final),
            (.approved, .approved, .unchanged),
            (.started, .started, .unchanged),
            // The end-user retries in the same session after a resubmission request.
            (.resubmissionRequested, .started, .apply),
            (.resubmissionRequested, .submitted, .apply),
            (.resubmissionRequested, .created, .older),
            // Same rank without times: the row keeps what it has.
            (.review, .resubmissionRequested, .older),
        ] as [(SessionStatus?, SessionStatus, StatusTransition)])
    func withoutTimes(current: SessionStatus?, incoming: SessionStatus, expected: StatusTransition) {
        #expect(current.transition(to: incoming, at: nil, currentAt: nil) == expected)
    }

    @Test("times break ties and reject stale non-final events")
    func withTimes() {
        // Same rank: the newer wins.
        #expect(SessionStatus.review.transition(to: .resubmissionRequested, at: late, currentAt: early) == .apply)
        #expect(SessionStatus.review.transition(to: .resubmissionRequested, at: early, currentAt: late) == .older)
        // A stale higher-rank event from before a resubmission request is not applied...
        #expect(SessionStatus.started.transition(to: .submitted, at: early, currentAt: late) == .older)
        // ... nor a stale "started" after a resubmission request.
        #expect(SessionStatus.resubmissionRequested.transition(to: .started, at: early, currentAt: late) == .older)
        #expect(SessionStatus.resubmissionRequested.transition(to: .started, at: late, currentAt: early) == .apply)
        // A decision ends the session whatever its time.
        #expect(SessionStatus.submitted.transition(to: .approved, at: early, currentAt: late) == .apply)
    }

    @Test("codes and names map to statuses; the name wins (9104 is expired or abandoned)")
    func reported() {
        #expect(SessionStatus.reported(name: nil, code: 7001) == .started)
        #expect(SessionStatus.reported(name: nil, code: 7002) == .submitted)
        #expect(SessionStatus.reported(name: nil, code: 9001) == .approved)
        #expect(SessionStatus.reported(name: nil, code: 9102) == .declined)
        #expect(SessionStatus.reported(name: nil, code: 9103) == .resubmissionRequested)
        #expect(SessionStatus.reported(name: nil, code: 9104) == .expired)
        #expect(SessionStatus.reported(name: "abandoned", code: 9104) == .abandoned)
        #expect(SessionStatus.reported(name: nil, code: 9121) == .review)
        #expect(SessionStatus.reported(name: "RESUBMISSION_REQUESTED", code: nil) == .resubmissionRequested)
        #expect(SessionStatus.reported(name: "something_new", code: 1234) == nil)
        #expect(SessionStatus.allCases.filter(\.isFinal) == [.approved, .declined, .expired, .abandoned])
    }
}
