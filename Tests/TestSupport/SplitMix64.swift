/// A small seeded random generator (SplitMix64): a failing fuzz case or schedule can be replayed from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random element of a non-empty collection.
    public mutating func pick<C: Collection>(_ collection: C) -> C.Element {
        collection[
            collection.index(collection.startIndex, offsetBy: Int.random(in: 0..<collection.count, using: &self))]
    }

    /// `bytes` changed by 1–8 random edits: flip, insert, delete, duplicate a span, or splice in a byte from
    /// `interesting` (the bytes a parser treats specially).
    public mutating func mutate(_ bytes: [UInt8], interesting: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...8, using: &self) {
            let choice = Int.random(in: 0..<5, using: &self)
            let position = out.isEmpty ? 0 : Int.random(in: 0..<out.count, using: &self)
            switch choice {
            case 0 where !out.isEmpty: out[position] ^= UInt8.random(in: 1...255, using: &self)
            case 1: out.insert(pick(interesting), at: min(position, out.count))
            case 2 where !out.isEmpty: out.remove(at: position)
            case 3 where !out.isEmpty:
                let end = min(out.count, position + Int.random(in: 1...16, using: &self))
                out.insert(contentsOf: out[position..<end], at: position)
            default: out.insert(UInt8.random(in: 0...255, using: &self), at: min(position, out.count))
            }
        }
        return out
    }
}
