import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SessionQueue
import Webhooks

/// Health (open), `/metrics` and the dashboard (``DashboardRoutes``; both behind ``DashboardAuthMiddleware``).
struct OperatorRoutes: Sendable {
    let configuration: OperatorServerConfiguration
    let database: any OperatorDatabase
    let metrics: ServerMetrics
    let refusalLog: RefusalLog<ContinuousClock>
    let logger: Logger

    func add(to router: Router<OperatorRequestContext>) {
        let health = RouterPath(configuration.webhooks.healthPath)
        router.get(health) { _, _ in try await healthAnswer() }
        router.head(health) { _, _ in try await healthAnswer() }
        for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
            router.on(health, method: method) { _, _ in Response.methodNotAllowed(allow: "GET, HEAD") }
        }

        let authenticator = configuration.dashboardToken.map { DashboardAuthenticator(token: $0) }
        let pages = router.group().add(middleware: DashboardAuthMiddleware(authenticator: authenticator))
        pages.get(RouterPath(configuration.metricsPath)) { _, _ in await metricsAnswer() }
        DashboardRoutes(
            authenticator: authenticator, database: database, metrics: metrics, refusalLog: refusalLog, logger: logger
        ).add(to: router, guarded: pages)
    }

    /// Up or down, nothing more: 200 "ok" when the database answers, else 503.
    private func healthAnswer() async throws -> Response {
        await database.isHealthy() ? .text(.ok, "ok\n") : .text(.serviceUnavailable, "unavailable\n")
    }

    /// The Prometheus text format: the receiver's counters, and the queue's gauges read now.
    private func metricsAnswer() async -> Response {
        do {
            metrics.update(from: try await database.queueMetrics())
        } catch {
            logger.warning("metrics: the database did not answer", metadata: ["error": "\(error)"])
            metrics.update(from: nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(
            status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
    }
}
