import CoreMetrics
import Prometheus
import SessionQueue
import Webhooks

/// The server's Prometheus registry: the receiver's own counters, kept as they happen, and the queue's gauges,
/// read from the database at each scrape (``update(from:)``).
///
/// It uses its own registry and hands swift-metrics an explicit factory, so nothing depends on a global metrics
/// bootstrap (libraries do not bootstrap; only `main` would).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let connections: ConnectionStatistics
    private let received: [LifecycleEvent.Kind: CoreMetrics.Counter]
    private let refused: [WebhookRefusal: CoreMetrics.Counter]
    private let storeUnavailable: CoreMetrics.Counter
    private let logins: [Bool: CoreMetrics.Counter]
    private let actions: [QueueRowAction: CoreMetrics.Counter]

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
        connections = ConnectionStatistics(factory: factory)
        let factory = self.factory
        received = Self.counters(
            "provisioner_webhooks_received_total", by: "kind", [LifecycleEvent.Kind.decision, .event], factory
        ) { $0.rawValue }
        refused = Self.counters(
            "provisioner_webhooks_refused_total", by: "reason", WebhookRefusal.allCases, factory
        ) { $0.label }
        storeUnavailable = CoreMetrics.Counter(label: "provisioner_webhooks_unrecorded_total", factory: factory)
        logins = Self.counters("provisioner_dashboard_logins_total", by: "result", [true, false], factory) {
            $0 ? "ok" : "refused"
        }
        actions = Self.counters(
            "provisioner_dashboard_actions_total", by: "action", QueueRowAction.allCases, factory
        ) { $0.rawValue }
    }

    /// One counter of `label` per value, told apart by the dimension `dimension`.
    private static func counters<Value: Hashable>(
        _ label: String, by dimension: String, _ values: some Sequence<Value>, _ factory: PrometheusMetricsFactory,
        name: (Value) -> String
    ) -> [Value: CoreMetrics.Counter] {
        Dictionary(
            uniqueKeysWithValues: values.map { value in
                (value, CoreMetrics.Counter(label: label, dimensions: [(dimension, name(value))], factory: factory))
            })
    }

    /// A login through the dashboard's form succeeded or was refused.
    func dashboardLogin(succeeded: Bool) {
        logins[succeeded]?.increment()
    }

    /// A dashboard action ran (whatever it changed).
    func dashboardAction(_ action: QueueRowAction) {
        actions[action]?.increment()
    }

    /// An authenticated webhook was received (whatever became of it).
    func received(_ kind: LifecycleEvent.Kind) {
        received[kind]?.increment()
    }

    /// A request to a webhook path was refused.
    func refused(_ refusal: WebhookRefusal) {
        refused[refusal]?.increment()
    }

    /// A webhook could not be recorded (503).
    func unrecorded() {
        storeUnavailable.increment()
    }

    /// The Prometheus text exposition of everything registered.
    func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// Sets a gauge (created on first use; the factory caches it by name and labels).
    func gauge(_ name: String, _ value: Double) {
        gauge(name, [], value)
    }

    /// Sets a gauge with labels.
    func gauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
        CoreMetrics.Gauge(label: name, dimensions: labels, factory: factory).record(value)
    }
}
