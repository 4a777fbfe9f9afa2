import Postgres
import Support
import VeriffAPI

/// The statements of `enqueue`: end-users are streamed with COPY into a staging table, then inserted into the queue
/// in one statement that skips end-users already queued (by endUserId, else vendorData, else a fingerprint of all
/// fields) and repeats within the file.
///
/// All of it runs in the caller's transaction: ``stage(on:_:)`` first, then ``insertStaged(on:)``; a rollback
/// keeps nothing. Concurrent imports are serialised by a transaction-level advisory lock taken in
/// ``insertStaged(on:)``, so the same file imported twice at once still adds each end-user once.
public enum EndUserImport {
    /// What ``insertStaged(on:)`` did.
    public struct Counts: Sendable, Hashable {
        /// Distinct end-users among the staged rows (repeats within the file counted once).
        public var distinct: Int
        /// Rows added to the queue (the distinct ones not already queued).
        public var inserted: Int
    }

    /// Streams staged end-users into the staging table (created for this transaction, dropped at its end).
    public struct Stager {
        fileprivate let writer: CopyInWriter

        /// Stages one end-user, with the file line it came from (the first occurrence in the file wins).
        /// - Throws: ``PostgresError`` when sending a chunk fails.
        public func add(_ user: EndUser, line: Int) async throws {
            try await writer.write(
                CopyText.row([
                    String(line), user.firstName, user.lastName, user.idNumber, user.dateOfBirth, user.gender,
                    user.email, user.phoneNumber, user.documentNumber, user.documentType, user.documentCountry,
                    user.fullAddress, user.vendorData, user.endUserId, user.callback,
                    user.consents.map(EndUserImport.consentsJSON),
                ]))
        }
    }

    /// Creates the staging table and streams rows into it through `body`.
    /// - Throws: ``PostgresError``, or what `body` throws (the COPY is then aborted).
    public static func stage(on connection: PostgresConnection, _ body: (Stager) async throws -> Void) async throws {
        try await connection.execute(createStaging)
        try await connection.copyIn(copyStatement) { writer in try await body(Stager(writer: writer)) }
    }

    /// Inserts the staged rows that are new, under the import lock.
    /// - Returns: The counts.
    public static func insertStaged(on connection: PostgresConnection) async throws -> Counts {
        try await connection.execute("SELECT pg_advisory_xact_lock($1)", [advisoryLockKey])
        let row = try await connection.query(insertStatement)[0]
        return Counts(distinct: try row.decode("distinct_rows"), inserted: try row.decode("inserted"))
    }

    /// Consents as the queue's jsonb text: `[{"type":"ine","approved":true}]`.
    private static func consentsJSON(_ consents: [Consent]) -> String {
        "["
            + consents.map { #"{"type":\#(JSONText.quoted($0.type)),"approved":\#($0.approved)}"# }
            .joined(separator: ",") + "]"
    }

    /// The key of the advisory lock held while checking for and inserting duplicates.
    static let advisoryLockKey: Int64 = 0x656e_7175_6575_6531  // "enqueue1"

    private static let fieldColumns = """
        first_name, last_name, id_number, date_of_birth, gender, email, phone_number, document_number, document_type, \
        document_country, full_address, vendor_data, end_user_id, callback_url, consents
        """

    static let createStaging = """
        CREATE TEMPORARY TABLE enqueue_staging (
            line bigint NOT NULL, first_name text, last_name text, id_number text, date_of_birth date, gender text,
            email text, phone_number text, document_number text, document_type text, document_country text,
            full_address text, vendor_data text, end_user_id uuid, callback_url text, consents jsonb
        ) ON COMMIT DROP
        """

    static let copyStatement = "COPY enqueue_staging (line, \(fieldColumns)) FROM STDIN"

    /// Inserts the staged rows that are new, first occurrence in the file wins; returns the counts.
    ///
    /// The de-duplication key is endUserId, else vendorData, else the md5 of all fields (stored in
    /// `enqueue_fingerprint` for such rows so the next import finds them).
    static let insertStatement = """
        WITH keyed AS (
            SELECT s.*,
                   CASE WHEN s.end_user_id IS NULL AND s.vendor_data IS NULL
                        THEN md5(ROW(\(fieldColumns))::text) END AS fingerprint,
                   CASE WHEN s.end_user_id IS NOT NULL THEN 'u:' || s.end_user_id::text
                        WHEN s.vendor_data IS NOT NULL THEN 'v:' || s.vendor_data
                        ELSE 'f:' || md5(ROW(\(fieldColumns))::text) END AS dedupe_key
            FROM enqueue_staging s
        ), first_seen AS (
            SELECT DISTINCT ON (dedupe_key) * FROM keyed ORDER BY dedupe_key, line
        ), fresh AS (
            SELECT * FROM first_seen f
            WHERE NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.end_user_id = f.end_user_id)
              AND (f.end_user_id IS NOT NULL
                   OR NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.vendor_data = f.vendor_data))
              AND (f.fingerprint IS NULL
                   OR NOT EXISTS (SELECT 1 FROM session_queue q WHERE q.enqueue_fingerprint = f.fingerprint))
        ), inserted AS (
            INSERT INTO session_queue (\(fieldColumns), enqueue_fingerprint)
            SELECT \(fieldColumns), fingerprint FROM fresh ORDER BY line
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM first_seen)::bigint AS distinct_rows,
               (SELECT count(*) FROM inserted)::bigint AS inserted
        """
}
