import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (the login and action forms), in order; a name may
/// repeat (checkboxes).
struct FormFields: Sendable {
    /// The most fields read; the rest are ignored.
    static let maximumFields = 1000

    private(set) var pairs: [(name: String, value: String)] = []

    /// Parses `text`; `nil` when a name or value is not valid percent-encoded UTF-8.
    init?(urlEncoded text: String) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true).prefix(Self.maximumFields) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(halves[0]), let value = Self.decode(halves.count > 1 ? halves[1] : "")
            else { return nil }
            pairs.append((name, value))
        }
    }

    /// The first value of `name`.
    func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
