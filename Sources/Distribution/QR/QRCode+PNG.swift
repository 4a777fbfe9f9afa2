extension QRCode {
    /// The code as a PNG image: black and white (1 bit per pixel, so a page of codes stays small), `scale` pixels per
    /// module, with a quiet zone.
    public func png(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let side = (size + 2 * quietZone) * scale
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity(side * (rowBytes + 1))
        for pixelY in 0..<side {
            raw.append(0)  // filter type None
            let y = pixelY / scale - quietZone
            var byte: UInt8 = 0
            for pixelX in 0..<side {
                let light = !isDark(x: pixelX / scale - quietZone, y: y)
                if light { byte |= 0x80 >> UInt8(pixelX % 8) }
                if pixelX % 8 == 7 || pixelX == side - 1 {
                    raw.append(byte)
                    byte = 0
                }
            }
        }
        return PNGEncoder.encode(width: side, height: side, bitDepth: 1, scanlines: raw)
    }
}
