-- Operator control (`provisioner rows`, `requeue`, `hold`, `cancel`): a status for rows that will never be sent,
-- and an attempts log that also records what a person did to a row, who and when.

-- `cancelled`: a person decided the row must never be sent. Nothing claims, renews or exports it; a webhook for
-- it is recorded in webhook_events but does not change it. `requeue` takes it back.
ALTER TABLE session_queue DROP CONSTRAINT session_queue_status_check;
ALTER TABLE session_queue ADD CONSTRAINT session_queue_status_check
    CHECK (status IN ('pending', 'claimed', 'provisioned', 'failed', 'invalid', 'held', 'cancelled'));

-- An operator's action is one row of session_attempts with outcome `requeued`, `held` or `cancelled` (no HTTP
-- request: http_status and duration_ms stay NULL), the row's status before it, and who asked: the database role
-- (current_user, filled in by the statement) and the person or program named by the caller (the OS user for the
-- command line, the signed-in user for a dashboard).
ALTER TABLE session_attempts DROP CONSTRAINT session_attempts_outcome_check;
ALTER TABLE session_attempts ADD CONSTRAINT session_attempts_outcome_check
    CHECK (outcome IN ('created', 'rejected', 'rate_limited', 'transient', 'fatal', 'in_doubt', 'invalid', 'rescued',
                       'requeued', 'held', 'cancelled'));
ALTER TABLE session_attempts
    ADD COLUMN actor           text CHECK (char_length(actor) <= 200),
    ADD COLUMN database_user   text,
    ADD COLUMN previous_status text;

-- No new index for `rows`: it reads rows a person looks at (a sequential scan and a top-N sort, fine for an
-- operator's command), and an index on updated_at would cost every claim and write-back of a run.
