import VeriffAPI

/// Creates one session; `VeriffClient` is the real one. Tests of the run use the real client against the stand-in.
public protocol SessionSender: Sendable {
    /// Sends POST /v1/sessions and classifies the answer; never throws.
    func createSession(_ request: SessionRequest) async -> SessionAttempt
}

extension VeriffClient: SessionSender {}
