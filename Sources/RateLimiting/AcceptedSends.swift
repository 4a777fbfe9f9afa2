/// Sends Veriff accepted (a session was created), counted per bucket of the store's clock (a sixtieth of the
/// window, see ``CapEstimator/bucket(of:)``): what a runner hands its store with the next reservation or 429.
public struct AcceptedSends: Sendable, Hashable {
    /// Accepted sends by bucket index.
    public private(set) var counts: [Int64: Int] = [:]

    /// Creates an empty tally.
    public init() {}

    /// Whether nothing was counted.
    public var isEmpty: Bool { counts.isEmpty }

    /// Every accepted send counted.
    public var total: Int { counts.values.reduce(0, +) }

    /// Counts `count` sends in `bucket`.
    /// - Parameters:
    ///   - bucket: the bucket index on the store's clock.
    ///   - count: how many sends.
    public mutating func add(bucket: Int64, count: Int = 1) {
        counts[bucket, default: 0] += count
    }

    /// The buckets in ascending order with their counts (for the SQL arrays).
    public var ascending: [(bucket: Int64, count: Int)] {
        counts.sorted { $0.key < $1.key }.map { (bucket: $0.key, count: $0.value) }
    }
}
