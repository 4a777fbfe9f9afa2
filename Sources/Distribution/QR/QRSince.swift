import Support

/// The start of `qr --since`'s window: the project's one `--since` syntax (``SinceText``).
public typealias QRSince = SinceText
