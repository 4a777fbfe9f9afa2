/// One row of a result, with its values in PostgreSQL's text format and typed access by column name.
public struct PostgresRow: Sendable {
    let columns: PostgresColumns
    let values: [String?]

    /// The column names, in result order.
    public var columnNames: [String] { columns.names }

    /// The value of a column decoded as `T`; use an `Optional` type for columns that may be NULL.
    /// - Throws: ``PostgresError`` when the column does not exist, is NULL for a non-optional type, or cannot be
    ///   read as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = columns.index(of: column) else {
            throw PostgresError.decodingFailed("no column \"\(column)\" in the result")
        }
        return try decode(at: index, as: type, name: column)
    }

    /// The value at a column position decoded as `T`.
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws -> T {
        try decode(at: index, as: type, name: columns.names[index])
    }

    private func decode<T: PostgresDecodable>(at index: Int, as type: T.Type, name: String) throws -> T {
        guard let text = values[index] else {
            guard let null = T.postgresNull else {
                throw PostgresError.decodingFailed("column \"\(name)\" is NULL; decode it as an Optional")
            }
            return null
        }
        do {
            return try T.decode(postgresText: text)
        } catch let error as PostgresError {
            throw PostgresError.decodingFailed("column \"\(name)\": \(error.message)")
        }
    }

    /// Whether the value of a column is SQL `NULL`.
    public func isNull(_ column: String) -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == nil
    }
}

/// The column names of a result, shared by its rows.
final class PostgresColumns: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    func index(of name: String) -> Int? { positions[name] }
}
