import Postgres
import VeriffAPI

/// The column arrays of one write-back statement: one array per column, so a batch is one round trip.
struct WriteBackColumns {
    /// Updates the rows and logs their attempts; `$13` is the runner (only its own claims are written).
    static let statement = """
        WITH u AS (
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                 $7::text[], $8::text[], $9::text[], $10::float8[], $11::int[], $12::bool[])
                AS u(id, status, session_id, session_url, session_token, session_host, session_status,
                     last_error, last_error_code, retry_ms, refund, in_doubt)
        ), updated AS (
            UPDATE session_queue q SET
                status = u.status,
                session_id = coalesce(u.session_id, q.session_id),
                session_url = coalesce(u.session_url, q.session_url),
                session_token = coalesce(u.session_token, q.session_token),
                session_host = coalesce(u.session_host, q.session_host),
                session_status = coalesce(u.session_status, q.session_status),
                provisioned_at = CASE WHEN u.status = 'provisioned' THEN now() ELSE q.provisioned_at END,
                expires_at = CASE WHEN u.status = 'provisioned' THEN now() + interval '7 days'
                                  ELSE q.expires_at END,
                last_error = CASE WHEN u.status = 'provisioned' THEN NULL
                                  ELSE coalesce(u.last_error, q.last_error) END,
                last_error_code = CASE WHEN u.status = 'provisioned' THEN NULL
                                       ELSE coalesce(u.last_error_code, q.last_error_code) END,
                next_attempt_at = CASE WHEN u.retry_ms IS NULL THEN q.next_attempt_at
                                       ELSE now() + u.retry_ms * interval '1 millisecond' END,
                attempts = greatest(q.attempts - u.refund, 0),
                in_doubt = q.in_doubt OR u.in_doubt,
                claimed_by = NULL, lease_expires_at = NULL
            FROM u
            WHERE q.id = u.id AND q.status = 'claimed' AND q.claimed_by = $13
            RETURNING q.id
        ), logged AS (
            INSERT INTO session_attempts (queue_id, run_id, attempt, started_at, duration_ms, outcome,
                                          http_status, veriff_code, message, session_id)
            SELECT a.queue_id, $14, a.attempt, to_timestamp(a.started_at), a.duration_ms, a.outcome,
                   a.http_status, a.veriff_code, a.message, a.session_id
            FROM unnest($15::bigint[], $16::int[], $17::float8[], $18::float8[], $19::text[], $20::int[],
                        $21::text[], $22::text[], $23::text[])
                AS a(queue_id, attempt, started_at, duration_ms, outcome, http_status, veriff_code, message,
                     session_id)
        )
        SELECT count(*) AS n FROM updated
        """

    var ids: [Int64] = []
    var statuses: [String] = []
    var sessionIDs: [String?] = []
    var urls: [String?] = []
    var tokens: [String?] = []
    var hosts: [String?] = []
    var sessionStatuses: [String?] = []
    var errors: [String?] = []
    var errorCodes: [String?] = []
    var retryMilliseconds: [Double?] = []
    var refunds: [Int] = []
    var inDoubt: [Bool] = []

    var attemptRows: [Int64] = []
    var attemptNumbers: [Int] = []
    var attemptStarts: [Double] = []
    var attemptDurations: [Double?] = []
    var attemptOutcomes: [String] = []
    var attemptStatuses: [Int?] = []
    var attemptCodes: [String?] = []
    var attemptMessages: [String?] = []
    var attemptSessions: [String?] = []

    mutating func append(_ result: RowResult) {
        var status = QueueRowStatus.pending
        var session: (id: String?, url: String?, token: String?, host: String?, status: String?) = (
            nil, nil, nil, nil, nil
        )
        var error: String?
        var code: String?
        var retry: Double?
        var refund = 0
        switch result.disposition {
        case .provisioned(let created):
            status = .provisioned
            session = (created.id, created.url, created.sessionToken, created.host, created.status ?? "created")
        case .failed(let failureCode, let message):
            status = .failed
            (error, code) = (message, failureCode)
        case .invalid(let reason):
            status = .invalid
            (error, code) = (reason, "invalid")
        case .retry(let delay, let retryCode, let message):
            (error, code) = (message, retryCode)
            retry = delay / .milliseconds(1)
        case .rateLimited(let delay):
            (error, code) = ("rate limited (429)", "rate_limited")
            retry = delay / .milliseconds(1)
            refund = 1
        case .held(let message):
            status = .held
            (error, code) = (message, "in_doubt")
        case .released:
            refund = 1
        }
        ids.append(result.rowID)
        statuses.append(status.rawValue)
        sessionIDs.append(session.id)
        urls.append(session.url)
        tokens.append(session.token)
        hosts.append(session.host)
        sessionStatuses.append(session.status)
        errors.append(error)
        errorCodes.append(code)
        retryMilliseconds.append(retry)
        refunds.append(refund)
        inDoubt.append(result.inDoubt)

        if let attempt = result.attempt {
            attemptRows.append(result.rowID)
            attemptNumbers.append(attempt.attemptNumber)
            attemptStarts.append(attempt.startedAt)
            attemptDurations.append(attempt.durationMilliseconds)
            attemptOutcomes.append(attempt.outcome)
            attemptStatuses.append(attempt.httpStatus)
            attemptCodes.append(attempt.veriffCode)
            attemptMessages.append(attempt.message)
            attemptSessions.append(attempt.sessionID)
        }
    }

    func parameters(runnerID: String, runID: Int64?) -> [any PostgresEncodable] {
        [
            ids, statuses, sessionIDs, urls, tokens, hosts, sessionStatuses, errors, errorCodes, retryMilliseconds,
            refunds, inDoubt, runnerID, runID, attemptRows, attemptNumbers, attemptStarts, attemptDurations,
            attemptOutcomes, attemptStatuses, attemptCodes, attemptMessages, attemptSessions,
        ]
    }
}
