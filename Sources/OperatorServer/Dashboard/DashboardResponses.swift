import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard's answers: HTML pages and JSON with headers that keep them private and inert.
///
/// Every page has a Content-Security-Policy that allows nothing from elsewhere and only the page's own inline
/// style and script (by a nonce drawn for each answer): no CDN, no external font or script, no framing; forms post
/// only to this server. Nothing is cached (`no-store`), no referrer leaves.
enum DashboardResponses {
    /// A fresh nonce for one page's inline `<style>` and `<script>`.
    static func nonce() -> String {
        DashboardSession.randomToken()
    }

    /// The headers every dashboard answer carries.
    static func privateHeaders(contentType: String, nonce: String? = nil) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        let sources = nonce.map { "'nonce-\($0)'" } ?? "'none'"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src \(sources); script-src \(sources); connect-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return headers
    }

    /// An HTML page.
    static func page(_ document: HTMLDocument, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        -> Response
    {
        var fields = privateHeaders(contentType: "text/html; charset=utf-8", nonce: document.nonce)
        for field in headers { fields.append(field) }
        return Response(
            status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: document.html)))
    }

    /// A JSON document.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: privateHeaders(contentType: "application/json; charset=utf-8"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `303 See Other` to a path of this server (never a URL taken from the request).
    static func seeOther(_ path: String, headers: HTTPFields = [:]) -> Response {
        var fields = privateHeaders(contentType: "text/plain; charset=utf-8")
        fields[.location] = path
        for field in headers { fields.append(field) }
        return Response(
            status: .seeOther, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: "see \(path)\n")))
    }
}

/// A rendered page and the nonce its inline style and script carry.
struct HTMLDocument: Sendable {
    var html: String
    var nonce: String
}
