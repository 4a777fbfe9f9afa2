import Logging
import SessionQueue

/// Records one authenticated webhook: parses the body, records it through the store (audit row, and the queue row
/// under the ordering rule), and logs one line. Knows nothing of HTTP: the server maps ``Receipt`` to an answer.
public struct WebhookReceiver: Sendable {
    /// What became of a webhook.
    public enum Receipt: Sendable, Hashable {
        /// Recorded: applied, or acknowledged without effect (replay, older or final status, unknown session,
        /// unreadable body). Veriff must get 200 and stop retrying.
        case recorded(LifecycleOutcome)
        /// The database could not record it: Veriff must retry (503).
        case storeUnavailable
    }

    private let store: any WebhookStore
    private let logger: Logger

    /// - Parameters:
    ///   - store: Where webhooks are recorded.
    ///   - logger: One line per webhook (ids, codes, outcome; never the body, a header value or a secret).
    public init(store: any WebhookStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Parses and records a webhook whose key and signature were checked.
    ///
    /// - Parameters:
    ///   - kind: Which endpoint received it.
    ///   - body: The raw body bytes.
    /// - Returns: What became of it.
    public func receive(_ kind: LifecycleEvent.Kind, body: some Collection<UInt8>) async -> Receipt {
        let event = WebhookPayload.parse(kind: kind, body: body)
        var metadata: Logger.Metadata = [
            "webhook.kind": "\(kind.rawValue)", "veriff.session_id": "\(event.sessionID ?? "-")",
            "veriff.code": event.code.map { Logger.MetadataValue.stringConvertible($0) } ?? "-",
            "veriff.status": "\(event.status?.rawValue ?? event.statusText ?? "-")",
        ]
        let result: LifecycleResult
        do {
            result = try await store.record(event)
        } catch {
            metadata["error"] = "\(error)"
            logger.error(
                "webhook not recorded: database unavailable; answered 503 so Veriff retries", metadata: metadata)
            return .storeUnavailable
        }
        metadata["webhook.outcome"] = "\(result.outcome)"
        metadata["row.id"] = "\(result.queueID.map(String.init) ?? "-")"
        if let reason = event.unparseableReason { metadata["webhook.problem"] = "\(reason)" }
        switch result.outcome {
        case .applied, .duplicate, .unchanged, .older, .final:
            logger.info("webhook recorded", metadata: metadata)
        case .unknownSession, .supersededSession, .sessionMismatch, .ambiguousVendorData, .unknownStatus,
            .unparseable, .cancelledRow:
            logger.warning("webhook recorded but not applied", metadata: metadata)
        }
        return .recorded(result.outcome)
    }

    /// Whether the store can take writes now (the health check).
    public func isHealthy() async -> Bool {
        await store.isHealthy()
    }
}
