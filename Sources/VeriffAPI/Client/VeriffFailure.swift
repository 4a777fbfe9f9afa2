/// An error answer from Veriff: `{"status":"fail","code":"1102","message":"..."}` and its HTTP status.
public struct VeriffFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var httpStatus: Int
    /// Veriff's code (sent as a string or a number; kept as a string), if the body had one.
    public var code: String?
    /// Veriff's message, or ours when the body had none (e.g. which of key, integration or URL is wrong).
    public var message: String

    public init(httpStatus: Int, code: String?, message: String) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
    }

    public var description: String {
        "HTTP \(httpStatus)" + (code.map { " code \($0)" } ?? "") + ": \(message)"
    }
}
