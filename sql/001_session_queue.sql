-- The queue of end-users to provision, the runs that worked it, and one row per HTTP attempt.
-- Company systems may insert rows with plain SQL: every column but the end-user fields has a default, and
-- CHECK constraints reject data Veriff would refuse anyway.

CREATE TABLE session_queue (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'claimed', 'provisioned', 'failed', 'invalid', 'held')),

    -- The end-user, in the fields of POST /v1/sessions.
    first_name        text,
    last_name         text,
    id_number         text,
    date_of_birth     date CHECK (date_of_birth >= DATE '1900-01-01'),
    gender            text CHECK (gender IN ('M', 'F')),
    email             text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    phone_number      text,
    document_number   text CHECK (document_number ~ '^[[:alnum:]]+$'),
    document_type     text CHECK (document_type IN ('PASSPORT', 'ID_CARD', 'RESIDENCE_PERMIT', 'DRIVERS_LICENSE')),
    document_country  text CHECK (document_country ~ '^[A-Z]{2}$'),
    full_address      text,
    vendor_data       text CHECK (char_length(vendor_data) BETWEEN 1 AND 1000),
    end_user_id       uuid,
    callback_url      text CHECK (callback_url ~* '^https://[^/?#[:space:]]+'),
    consents          jsonb CHECK (consents IS NULL OR jsonb_typeof(consents) = 'array'),

    -- Work bookkeeping.
    attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_error        text,
    last_error_code   text,
    claimed_by        text,
    lease_expires_at  timestamptz,
    -- True when a request for this row may have reached Veriff without its answer being recorded: a second
    -- session may exist. Find it by vendor_data (or the row id, sent as vendorData when vendor_data is empty).
    in_doubt          boolean NOT NULL DEFAULT false,

    -- The session Veriff created.
    session_id        text,
    session_url       text,
    session_token     text,
    session_host      text,
    session_status    text,
    provisioned_at    timestamptz,
    expires_at        timestamptz,
    exported_at       timestamptz,

    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT provisioned_has_session
        CHECK (status <> 'provisioned' OR (session_id IS NOT NULL AND session_url IS NOT NULL)),
    CONSTRAINT claimed_has_lease
        CHECK (status <> 'claimed' OR (claimed_by IS NOT NULL AND lease_expires_at IS NOT NULL))
);

COMMENT ON TABLE session_queue IS 'End-users waiting for (or given) a Veriff verification session; see README.md.';

-- Claiming reads only pending rows in due order: a partial index keeps that one index range scan at any size.
CREATE INDEX session_queue_claimable ON session_queue (next_attempt_at, id) WHERE status = 'pending';
-- Rescuing expired leases.
CREATE INDEX session_queue_claimed ON session_queue (lease_expires_at) WHERE status = 'claimed';
-- Export of provisioned rows not yet handed out.
CREATE INDEX session_queue_unexported ON session_queue (id) WHERE status = 'provisioned' AND exported_at IS NULL;
-- Look-ups by the ids Veriff echoes back (webhooks) and enqueue's de-duplication.
CREATE INDEX session_queue_session_id ON session_queue (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX session_queue_end_user_id ON session_queue (end_user_id) WHERE end_user_id IS NOT NULL;
CREATE INDEX session_queue_vendor_data ON session_queue (vendor_data) WHERE vendor_data IS NOT NULL;

CREATE FUNCTION session_queue_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER session_queue_touch BEFORE UPDATE ON session_queue
    FOR EACH ROW EXECUTE FUNCTION session_queue_touch();

-- One row per `provisioner run`: when, where, how it ended, and what it did.
CREATE TABLE provisioner_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    runner_id       text NOT NULL UNIQUE,
    host            text NOT NULL,
    pid             integer NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    heartbeat_at    timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    outcome         text NOT NULL DEFAULT 'running'
                    CHECK (outcome IN ('running', 'completed', 'rows_failed', 'interrupted', 'fatal_api_answer',
                                       'veriff_unavailable', 'database_unavailable', 'crashed')),
    cap_per_minute  double precision,
    claimed         integer NOT NULL DEFAULT 0,
    provisioned     integer NOT NULL DEFAULT 0,
    failed          integer NOT NULL DEFAULT 0,
    invalid         integer NOT NULL DEFAULT 0,
    retried         integer NOT NULL DEFAULT 0,
    rate_limited    integer NOT NULL DEFAULT 0,
    in_doubt        integer NOT NULL DEFAULT 0,
    message         text
);

-- One row per HTTP attempt (and per rescue of a row whose runner died), for audit and for tracing duplicates.
CREATE TABLE session_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue_id        bigint NOT NULL REFERENCES session_queue (id) ON DELETE CASCADE,
    run_id          bigint REFERENCES provisioner_runs (id) ON DELETE SET NULL,
    attempt         integer NOT NULL,
    started_at      timestamptz NOT NULL,
    duration_ms     double precision,
    outcome         text NOT NULL
                    CHECK (outcome IN ('created', 'rejected', 'rate_limited', 'transient', 'fatal', 'in_doubt',
                                       'invalid', 'rescued')),
    http_status     integer,
    veriff_code     text,
    message         text,
    session_id      text
);

CREATE INDEX session_attempts_queue_id ON session_attempts (queue_id);
