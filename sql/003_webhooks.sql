-- Session lifecycle: what Veriff's decision and event webhooks say about each row's session, and the renewal of
-- sessions that expired (7 days after creation) before the end-user finished. See docs/webhooks.md.

ALTER TABLE session_queue
    -- The decision webhook's verification.code (9001, 9102, 9103, 9104, 9121), reasonCode and reason text.
    ADD COLUMN decision_code        integer,
    ADD COLUMN reason_code          integer,
    ADD COLUMN decision_reason      text,
    -- verification.decisionTime (else the time the webhook was received).
    ADD COLUMN decision_at          timestamptz,
    -- When session_status became what it is, by the event's own time when it has one: orders out-of-order
    -- deliveries (see SessionStatus in Sources/SessionQueue/Lifecycle).
    ADD COLUMN session_status_at    timestamptz,
    -- When a webhook last changed this row.
    ADD COLUMN last_event_at        timestamptz,
    -- Sessions this row had before it was renewed, oldest first. Their late webhooks are recorded, not applied.
    ADD COLUMN previous_session_ids text[] NOT NULL DEFAULT '{}',
    ADD COLUMN renewed_count        integer NOT NULL DEFAULT 0 CHECK (renewed_count >= 0),
    ADD COLUMN renewed_at           timestamptz;

-- Renewal scans provisioned rows whose session may have expired without a decision.
CREATE INDEX session_queue_renewable ON session_queue (expires_at)
    WHERE status = 'provisioned'
      AND (session_status IS NULL OR session_status IN ('created', 'started', 'expired', 'abandoned'));
-- Webhooks for a session this row had before renewal.
CREATE INDEX session_queue_previous_session_ids ON session_queue USING gin (previous_session_ids);

-- Every webhook received with a valid signature: ids, codes, statuses and times, never the person or document
-- data that decision webhooks carry. One row per distinct body: a replay is acknowledged without a second effect.
CREATE TABLE webhook_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    kind         text NOT NULL CHECK (kind IN ('decision', 'event')),
    -- SHA-256 of the raw body, hex: the idempotency key.
    body_sha256  text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
    session_id   text,
    attempt_id   text,
    vendor_data  text,
    code         integer,
    -- The decision's verification.status or the event's action, as sent.
    status       text,
    reason_code  integer,
    -- decisionTime / acceptanceTime of the payload, when it has one.
    event_at     timestamptz,
    queue_id     bigint REFERENCES session_queue (id) ON DELETE SET NULL,
    applied      boolean NOT NULL DEFAULT false,
    -- What happened: applied, or why not (unchanged, older, final, unknown_session, superseded_session,
    -- session_mismatch, ambiguous_vendor_data, unknown_status, unparseable).
    outcome      text NOT NULL
);

CREATE UNIQUE INDEX webhook_events_body_sha256 ON webhook_events (body_sha256);
CREATE INDEX webhook_events_session_id ON webhook_events (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX webhook_events_received_at ON webhook_events (received_at);
