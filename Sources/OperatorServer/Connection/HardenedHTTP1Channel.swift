import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with the operator server's guards: ``ConnectionGuard`` on the raw bytes
/// (deadlines, draining after a refusal) and ``RequestGuard`` after the decoder (the body held back until the
/// request is authenticated).
///
/// The pipeline is `HTTP1Channel`'s own, with one difference besides the guards: the async channel buffers at most
/// two parts ahead of the handler (Hummingbird's default: ten), so that a request read is a request waited for.
/// Requests are then handled by Hummingbird's `handleHTTP`, one connection per child task of the server's
/// discarding task group.
struct HardenedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let statistics: ConnectionStatistics
    /// Limits of the head: one field, all fields, how many.
    let decoderLimits: HTTP1Channel.Configuration.DecoderConfiguration
    /// The server's own logger (the framework's is held at notice): connections closed by a deadline, at debug.
    let connectionLogger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let connection = ConnectionGuard(limits: limits, statistics: statistics, logger: connectionLogger)
            try channel.pipeline.syncOperations.addHandler(connection)
            var decoder = NIOHTTPDecoderLimitConfiguration()
            decoder.maxHeaderFieldSize = decoderLimits.maxHeaderFieldSize
            decoder.maxHeaderListSize = decoderLimits.maxHeaderListSize
            decoder.maxHeaderFieldCount = decoderLimits.maxHeaderFieldCount
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoder)
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(RequestGuard(connection: connection))
            // Quiescing (graceful shutdown): closes idle connections at once, others after their answer.
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel,
                configuration: .init(
                    backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2), isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
