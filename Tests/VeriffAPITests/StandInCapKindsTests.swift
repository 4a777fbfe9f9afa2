import Foundation
import TestSupport
import Testing
import VeriffAPI

@testable import VeriffStandIn

/// The stand-in's fixed (clock-aligned) window, another system using part of the cap, and its `Retry-After` styles.
@Suite("Stand-in: fixed windows, a background system, Retry-After styles")
struct StandInCapKindsTests {
    private let second: Int64 = 1_000_000_000

    @Test("a fixed window counts from its clock-aligned start and starts again at the next")
    func fixedWindow() {
        // The stand-in started 59.5 s into a clock minute.
        var window = FixedWindow(window: .seconds(60), origin: 1_000 * 60 * second + 59 * second + second / 2)
        window.record(at: 0)
        window.record(at: second / 4)
        #expect(window.count(at: second / 4) == 2)
        #expect(window.timeUntilSlotFrees(at: second / 4) == second / 4)
        #expect(window.count(at: second / 2) == 0)
        window.record(at: second)
        #expect(window.count(at: 60 * second) == 1 && window.maximum == 2)
        #expect(window.count(at: 61 * second) == 0)
    }

    @Test("another system's requests take their share of the cap, as if they had run for a window already")
    func background() {
        // 10 per 1 s window; the other system sends 5 per second.
        var state = StandInState(window: .seconds(1), origin: 0, backgroundPerMinute: 300)
        state.catchUpBackground(to: 0, cap: 10, kind: .sliding)
        #expect(state.count(at: 0, kind: .sliding) == 5)
        var ours = 0
        for index in 0..<20 {
            let now = Int64(index) * second / 100
            state.catchUpBackground(to: now, cap: 10, kind: .sliding)
            if state.count(at: now, kind: .sliding) < 10 {
                state.record(at: now)
                ours += 1
            }
        }
        #expect(ours == 5)
        #expect(state.backgroundAccepted == 5 && state.backgroundRefused == 0)
        // At 0.2 s its request of −0.8 s has left the window: its next one takes the place, and the window is full.
        state.catchUpBackground(to: 3 * second / 10, cap: 10, kind: .sliding)
        #expect(state.backgroundAccepted == 6 && state.count(at: 3 * second / 10, kind: .sliding) == 10)
    }

    @Test(
        "cap 429s carry Retry-After as seconds, as a date, or not at all",
        arguments: [StandInRetryAfterStyle.seconds, .date, .none])
    func retryAfterStyles(_ style: StandInRetryAfterStyle) async throws {
        for kind in StandInWindowKind.allCases {
            var configuration = StandInTesting.configuration(cap: 1, window: .seconds(30))
            configuration.windowKind = kind
            configuration.retryAfterStyle = style
            try await withStandIn(configuration) { standIn in
                try await withVeriffClient(StandInTesting.clientConfiguration(for: standIn)) { client in
                    _ = await client.createSession(SessionRequest())
                    var outcomes: [SessionOutcome] = []
                    // In a fixed window the first may have been the last of a window: then the second is created.
                    for _ in 0..<2 { outcomes.append(await client.createSession(SessionRequest()).outcome) }
                    let refused = outcomes.compactMap { outcome -> Duration?? in
                        if case .rateLimited(let retryAfter) = outcome { return .some(retryAfter) }
                        return nil
                    }
                    let retryAfter = try #require(refused.first, "\(kind): \(outcomes)")
                    switch style {
                    case .none:
                        #expect(retryAfter == nil)
                    case .seconds, .date:
                        let wait = try #require(retryAfter)
                        #expect(wait >= .seconds(1) && wait <= .seconds(32), "\(kind) \(style): \(wait)")
                    }
                }
            }
        }
    }
}
