import Foundation
import Postgres
import VeriffAPI

/// A queue row this runner has claimed: its id, how many attempts it has used (this one included), and the end-user.
public struct ClaimedRow: Sendable, Hashable {
    public var id: Int64
    /// Attempts used so far, counting the one this claim is for.
    public var attempts: Int
    /// Whether an earlier request for this row may have created a session already.
    public var inDoubt: Bool
    public var endUser: EndUser

    public init(id: Int64, attempts: Int, inDoubt: Bool, endUser: EndUser) {
        self.id = id
        self.attempts = attempts
        self.inDoubt = inDoubt
        self.endUser = endUser
    }

    /// The end-user columns, in `EndUser` order, as text (dates, uuids and json print as their text form).
    public static let endUserColumns = """
        first_name, last_name, id_number, date_of_birth::text AS date_of_birth, gender, email, phone_number,
        document_number, document_type, document_country, full_address, vendor_data, end_user_id::text AS end_user_id,
        callback_url, consents::text AS consents
        """

    /// Reads the end-user columns of a row.
    /// - Throws: ``PostgresError`` when a column is missing; a consents value that is not a list of
    ///   `{type, approved}` is kept as an invalid consent so validation names it.
    public static func endUser(from row: PostgresRow) throws -> EndUser {
        var consents: [Consent]?
        if let json = try row.decode("consents", as: String?.self) {
            consents = (try? JSONDecoder().decode([Consent].self, from: Data(json.utf8))) ?? [Consent(type: "", approved: false)]
        }
        return EndUser(
            firstName: try row.decode("first_name"), lastName: try row.decode("last_name"),
            idNumber: try row.decode("id_number"), dateOfBirth: try row.decode("date_of_birth"),
            gender: try row.decode("gender"), email: try row.decode("email"),
            phoneNumber: try row.decode("phone_number"), documentNumber: try row.decode("document_number"),
            documentType: try row.decode("document_type"), documentCountry: try row.decode("document_country"),
            fullAddress: try row.decode("full_address"), vendorData: try row.decode("vendor_data"),
            endUserId: try row.decode("end_user_id"), callback: try row.decode("callback_url"), consents: consents)
    }
}
