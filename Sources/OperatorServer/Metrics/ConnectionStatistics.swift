import CoreMetrics
import Synchronization

/// Open connections and the ones the server closed itself (timeouts, refusals), for `/metrics`.
final class ConnectionStatistics: Sendable {
    private let open = Atomic<Int>(0)
    private let openGauge: Gauge
    private let closedByServer: [ConnectionGuard.CloseReason: Counter]

    init(factory: any MetricsFactory) {
        openGauge = Gauge(label: "provisioner_server_connections_open", factory: factory)
        closedByServer = Dictionary(
            uniqueKeysWithValues: ConnectionGuard.CloseReason.allCases.map { reason in
                (
                    reason,
                    Counter(
                        label: "provisioner_server_connections_closed_total",
                        dimensions: [("reason", reason.rawValue)], factory: factory)
                )
            })
        openGauge.record(0)
    }

    /// Connections open now.
    var openConnections: Int { open.load(ordering: .relaxed) }

    func opened() {
        openGauge.record(open.add(1, ordering: .relaxed).newValue)
    }

    func closed() {
        openGauge.record(open.subtract(1, ordering: .relaxed).newValue)
    }

    func closedByServer(_ reason: ConnectionGuard.CloseReason) {
        closedByServer[reason]?.increment()
    }
}
