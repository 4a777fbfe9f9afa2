extension QRCode {
    /// The code as an SVG document: one path of module squares on a white square with a quiet zone, in module units
    /// (crisp at any print size).
    /// - Parameters:
    ///   - quietZone: Light modules around the symbol; the standard asks for 4.
    ///   - pixelsPerModule: The default display size of one module.
    public func svg(quietZone: Int = 4, pixelsPerModule: Int = 8) -> String {
        let total = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                // A horizontal run of dark modules is one rectangle.
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let pixels = total * pixelsPerModule
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(total) \(total)" shape-rendering="crispEdges">
            <rect width="\(total)" height="\(total)" fill="#fff"/>
            <path fill="#000" d="\(path)"/>
            </svg>

            """
    }
}
