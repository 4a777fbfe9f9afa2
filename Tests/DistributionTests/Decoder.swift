import Foundation
import TestSupport

/// Decodes QR images with real tools: zbarimg (zbar-tools) for PNG, rsvg-convert (librsvg2-bin) first for SVG.
enum QRDecoder {
    /// The text zbarimg reads from the image at `path` (an SVG is rendered to PNG first).
    static func decode(_ path: String) async throws -> String {
        var image = path
        if path.hasSuffix(".svg") {
            image = path + ".rendered.png"
            let render = try await Shell.run("/usr/bin/rsvg-convert", ["-o", image, path])
            guard render.status == 0 else { throw TestSetupError("rsvg-convert failed: \(render.stderr)") }
        }
        defer { if image != path { try? FileManager.default.removeItem(atPath: image) } }
        let result = try await Shell.run("/usr/bin/zbarimg", ["--raw", "-q", image])
        guard result.status == 0 else { throw TestSetupError("zbarimg found no code in \(path): \(result.stderr)") }
        return result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
    }
}
