import Synchronization
import VeriffStandIn

/// A thread-safe list of requests, for servers made in tests.
final class LockedRequests: Sendable {
    private let requests = Mutex<[HTTPRequest]>([])
    func append(_ request: HTTPRequest) { requests.withLock { $0.append(request) } }
    var all: [HTTPRequest] { requests.withLock { $0 } }
}
