/// Runs `body`, then `finally` whether `body` returned or threw: the one open/use/close scope every resource of the
/// project is built on (async-http-client's `asyncDo(_:finally:)`).
///
/// - Parameters:
///   - body: The work with the resource.
///   - finally: The clean-up; it learns the error `body` threw, if any. An error it throws replaces a successful
///     result, never `body`'s own error.
/// - Returns: What `body` returns.
/// - Throws: What `body` throws, else what `finally` throws.
public func asyncDo<R>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> sending R,
    finally: sending @escaping ((any Error)?) async throws -> Void
) async throws -> sending R {
    let result: R
    do {
        result = try await body()
    } catch {
        try? await finally(error)
        throw error
    }
    try await finally(nil)
    return result
}
