/// The state of one `session_queue` row (its `status` column). The table's CHECK constraint allows exactly these.
///
/// `pending` → `claimed` (a runner holds it) → `provisioned`, `failed`, `invalid`, `held`, or back to `pending` (a
/// retry, a released claim, a rescued lease). A person moves rows with ``QueueOperator`` (`requeue`, `hold`,
/// `cancel`), under the rules of ``QueueRowTransition``.
public enum QueueRowStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting to be sent, from `next_attempt_at` on.
    case pending
    /// Held by a runner (`claimed_by`) until its lease expires.
    case claimed
    /// Veriff created the session; its id, url, token and host are on the row.
    case provisioned
    /// Veriff refused the data, or the row ran out of attempts: a person must look at it.
    case failed
    /// The data breaks Veriff's rules; no request was sent.
    case invalid
    /// In doubt and kept from being sent until a person decides (`--hold-in-doubt`).
    case held
    /// A person decided it must never be sent (`provisioner cancel`): nothing claims, renews or exports it, and a
    /// webhook about it is recorded without changing it. `requeue` takes it back.
    case cancelled
}
