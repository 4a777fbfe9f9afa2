import SessionQueue
import Testing

/// The one rule for what requeue, hold and cancel may do to a row: every status, every action.
@Suite("Operator transitions (pure)")
struct QueueRowTransitionTests {
    typealias Row = QueueRowTransition.Row

    @Test(
        "a row claimed by a live runner is never touched, by any action, in doubt or not",
        arguments: QueueRowAction.allCases)
    func liveClaim(action: QueueRowAction) {
        for inDoubt in [false, true] {
            let row = Row(status: .claimed, inDoubt: inDoubt, leaseIsLive: true)
            #expect(QueueRowTransition.decide(action, for: row) == .skip(.claimedByLiveRunner))
        }
    }

    @Test("a provisioned row is never touched", arguments: QueueRowAction.allCases)
    func provisioned(action: QueueRowAction) {
        for inDoubt in [false, true] {
            #expect(
                QueueRowTransition.decide(action, for: Row(status: .provisioned, inDoubt: inDoubt))
                    == .skip(.provisioned))
        }
    }

    @Test(
        "a claim whose lease expired (its runner stopped) is moved, and marked in doubt",
        arguments: QueueRowAction.allCases)
    func expiredClaim(action: QueueRowAction) {
        let row = Row(status: .claimed, inDoubt: false, leaseIsLive: false)
        #expect(QueueRowTransition.decide(action, for: row) == .change(to: action.target, inDoubt: true))
    }

    @Test("requeue: failed, held, invalid, cancelled and in-doubt rows go back to pending, the in-doubt flag cleared")
    func requeue() {
        for status in [QueueRowStatus.failed, .held, .invalid, .cancelled] {
            for inDoubt in [false, true] {
                #expect(
                    QueueRowTransition.decide(.requeue, for: Row(status: status, inDoubt: inDoubt))
                        == .change(to: .pending, inDoubt: false), "\(status) in doubt \(inDoubt)")
            }
        }
        // A pending row in doubt: the person settled it.
        #expect(
            QueueRowTransition.decide(.requeue, for: Row(status: .pending, inDoubt: true))
                == .change(to: .pending, inDoubt: false))
        // A pending row waiting for a retry: due now.
        #expect(
            QueueRowTransition.decide(.requeue, for: Row(status: .pending, isDue: false))
                == .change(to: .pending, inDoubt: false))
        // A pending row due now and not in doubt: nothing to do.
        #expect(QueueRowTransition.decide(.requeue, for: Row(status: .pending)) == .skip(.unchanged))
    }

    @Test("hold and cancel: any other row, its in-doubt flag kept; a row already there is unchanged")
    func holdAndCancel() {
        for action in [QueueRowAction.hold, .cancel] {
            for status in QueueRowStatus.allCases where status != .claimed && status != .provisioned {
                for inDoubt in [false, true] {
                    let decision = QueueRowTransition.decide(action, for: Row(status: status, inDoubt: inDoubt))
                    if status == action.target {
                        #expect(decision == .skip(.unchanged))
                    } else {
                        #expect(decision == .change(to: action.target, inDoubt: inDoubt), "\(action) \(status)")
                    }
                }
            }
        }
    }

    @Test("every decision either skips or moves the row to the action's status")
    func targets() {
        for action in QueueRowAction.allCases {
            for status in QueueRowStatus.allCases {
                for (inDoubt, live, due) in [(false, false, true), (true, true, false), (true, false, true)] {
                    let row = Row(status: status, inDoubt: inDoubt, leaseIsLive: live, isDue: due)
                    if case .change(let target, _) = QueueRowTransition.decide(action, for: row) {
                        #expect(target == action.target)
                        #expect(status != .provisioned)
                        #expect(!(status == .claimed && live))
                    }
                }
            }
        }
    }

    @Test("row states read and print as the command line spells them")
    func stateNames() {
        #expect(QueueRowState(name: "in-doubt") == .inDoubt)
        #expect(QueueRowState(name: "IN_DOUBT") == .inDoubt)
        #expect(QueueRowState(name: "Failed") == .status(.failed))
        #expect(QueueRowState(name: "cancelled") == .status(.cancelled))
        #expect(QueueRowState(name: "bogus") == nil)
        #expect(QueueRowState.allCases.map(\.name).contains("in-doubt"))
        #expect(QueueRowState.allCases.count == QueueRowStatus.allCases.count + 1)
    }
}
