/// Answers requests for an ``HTTPServer``.
public protocol HTTPResponder: Sendable {
    /// Answers `request`; may suspend (database, network).
    func respond(to request: HTTPRequest) async -> HTTPResponse

    /// Answers `request` at once on the event loop, or returns `nil` to have ``respond(to:)`` called in a task.
    ///
    /// A fast path for answers that need no suspension: it avoids a task and two thread hops per request.
    /// Must not block. The default returns `nil`.
    func respondImmediately(to request: HTTPRequest) -> HTTPResponse?
}

extension HTTPResponder {
    public func respondImmediately(to request: HTTPRequest) -> HTTPResponse? { nil }
}

/// A responder made from an async closure.
public struct ClosureResponder: HTTPResponder {
    private let handler: @Sendable (HTTPRequest) async -> HTTPResponse

    public init(_ handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.handler = handler
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        await handler(request)
    }
}
