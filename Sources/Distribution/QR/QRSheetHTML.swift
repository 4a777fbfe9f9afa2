import Support

/// The printable `index.html`: one card per end-user with their name, the code, the url as text and the expiry.
enum QRSheetHTML {
    static let header = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Verification QR codes</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 1cm; color: #000; background: #fff; }
          .sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(6.5cm, 1fr)); gap: 0.8cm; }
          .card { border: 1px solid #999; border-radius: 4px; padding: 0.4cm; break-inside: avoid;
                  page-break-inside: avoid; }
          .card h2 { font-size: 13pt; margin: 0 0 0.2cm; }
          .card img { display: block; width: 4.5cm; height: 4.5cm; margin: 0.2cm auto; image-rendering: pixelated; }
          .url { font-family: ui-monospace, monospace; font-size: 7pt; word-break: break-all; margin: 0.2cm 0; }
          .expires { font-size: 9pt; margin: 0; }
          @media print { body { margin: 0; } .card { border-color: #ccc; } footer { display: none; } }
        </style>
        </head>
        <body>
        <main class="sheet">

        """

    static func card(_ entry: QRSheetEntry, imageName: String) -> String {
        let name = HTMLText.escape(entry.name)
        let expires = entry.expires.map { "Expires \(HTMLText.escape($0))" } ?? "No expiry date recorded"
        return """
            <section class="card">
              <h2>\(name)</h2>
              <img src="\(HTMLText.escape(imageName))" alt="QR code for \(name)">
              <p class="url">\(HTMLText.escape(entry.url))</p>
              <p class="expires">\(expires)</p>
            </section>

            """
    }

    static func footer(count: Int) -> String {
        """
        </main>
        <footer><p>\(count) session\(count == 1 ? "" : "s").</p></footer>
        </body>
        </html>

        """
    }
}
