-- Least-privilege roles for provisioner. Not a migration: run it as the schema owner (or a superuser) after every
-- `provisioner migrate`, in the provisioner's database:
--
--     psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f sql/roles.sql
--
-- Who owns what:
--   * The schema and its tables belong to an owner role (e.g. `provisioner_owner`) that nobody logs in as for
--     daily work. Only it runs `provisioner migrate` (CREATE/ALTER need ownership); the owner can also drop the
--     tables, which is exactly why the nightly job must not be it.
--   * `provisioner_runner` is a NOLOGIN group role with what `provisioner run`, `status` and `check` need, and nothing
--     else: no DELETE anywhere, no INSERT into the queue, no DDL, no other tables, and UPDATE on the queue only for
--     the columns a run writes (never the end-user's fields: a runner cannot rewrite an email or a callback). The
--     nightly job logs in as a member:
--
--         CREATE ROLE provisioner_nightly LOGIN PASSWORD '...' IN ROLE provisioner_runner;
--
--   * `provisioner_webhooks` is a NOLOGIN group role with exactly what `provisioner webhooks` needs: record each
--     webhook in `webhook_events`, find its queue row by session id or vendorData, and update that row's session
--     status and decision columns. It cannot read the end-user's fields, session urls or tokens. The receiver logs
--     in as a member:
--
--         CREATE ROLE provisioner_webhook_receiver LOGIN PASSWORD '...' IN ROLE provisioner_webhooks;
--
--   * `enqueue` (INSERT into session_queue) and `export`/`qr` need other rights: give them to other roles, not to
--     these two.
--
-- Idempotent: running it twice changes nothing. Tables of later migrations are granted when they exist, so run it
-- again after each `provisioner migrate`; `provisioner check` reports any privilege still missing.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'provisioner_runner') THEN
        CREATE ROLE provisioner_runner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'provisioner_webhooks') THEN
        CREATE ROLE provisioner_webhooks NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- provisioner_runner
-- ---------------------------------------------------------------------------------------------------------------

-- Find the tables (PostgreSQL 15 no longer lets every role create objects in `public`; the runner creates none).
GRANT USAGE ON SCHEMA public TO provisioner_runner;

-- Reads the applied schema version (`check`, and the run's start-up check).
GRANT SELECT ON schema_migrations TO provisioner_runner;

-- Claims pending rows, rescues expired leases, writes sessions and errors back (Sources/SessionQueue/QueueStore.swift),
-- and with `run --renew-expired` puts expired sessions back in the queue (SessionRenewal.swift). Rows are added by
-- `enqueue`. UPDATE is granted column by column: the table-wide grant of earlier versions is revoked first (REVOKE
-- on the table also takes back every column grant), then exactly these columns are granted, those of later
-- migrations only once they exist. Sources/Operations/Check/TablePrivilege.swift lists the same columns.
GRANT SELECT ON session_queue TO provisioner_runner;
REVOKE UPDATE ON session_queue FROM provisioner_runner;
DO $$
DECLARE
    run_columns text[] := ARRAY[
        -- claim, lease, rescue, write-back
        'status', 'attempts', 'next_attempt_at', 'last_error', 'last_error_code', 'claimed_by', 'lease_expires_at',
        'in_doubt', 'session_id', 'session_url', 'session_token', 'session_host', 'session_status',
        'provisioned_at', 'expires_at',
        -- run --renew-expired (migration 003): clears the old session's status, decision and export mark
        'previous_session_ids', 'session_status_at', 'last_event_at', 'decision_code', 'reason_code',
        'decision_reason', 'decision_at', 'exported_at', 'renewed_count', 'renewed_at'];
    granted text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ') INTO granted
      FROM pg_attribute
     WHERE attrelid = 'session_queue'::regclass AND attname = ANY (run_columns) AND NOT attisdropped;
    EXECUTE format('GRANT UPDATE (%s) ON session_queue TO provisioner_runner', granted);
END
$$;

-- One row per run (start, heartbeat, finish) and one per HTTP attempt (audit; tracing duplicate sessions).
GRANT SELECT, INSERT, UPDATE ON provisioner_runs TO provisioner_runner;
GRANT SELECT, INSERT ON session_attempts TO provisioner_runner;

-- The shared rate limiter (migration 002): one row per integration, updated by its functions, which run with the
-- caller's rights (SECURITY INVOKER) and are executable by everyone by default.
DO $$
BEGIN
    IF to_regclass('rate_limiter_state') IS NOT NULL THEN
        GRANT SELECT, INSERT, UPDATE ON rate_limiter_state TO provisioner_runner;
    END IF;
END
$$;

-- `status` counts the webhooks received (migration 003); only the webhook receiver writes them.
DO $$
BEGIN
    IF to_regclass('webhook_events') IS NOT NULL THEN
        GRANT SELECT ON webhook_events TO provisioner_runner;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- provisioner_webhooks (migration 003): what `provisioner webhooks` does, in Sources/SessionQueue/Lifecycle/
-- SessionLifecycle.swift: insert the audit row (ON CONFLICT on its body hash), find the queue row by session_id,
-- previous_session_ids or vendor_data (id when vendor_data is empty) and lock it (FOR UPDATE needs an UPDATE
-- privilege on the table), update its session status and decision, then the audit row's outcome.
-- ---------------------------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA public TO provisioner_webhooks;
DO $$
BEGIN
    IF to_regclass('webhook_events') IS NOT NULL THEN
        REVOKE ALL ON session_queue FROM provisioner_webhooks;
        GRANT SELECT (id, status, session_id, vendor_data, session_status, session_status_at, previous_session_ids)
            ON session_queue TO provisioner_webhooks;
        GRANT UPDATE (session_status, session_status_at, last_event_at, decision_code, reason_code,
                      decision_reason, decision_at)
            ON session_queue TO provisioner_webhooks;
        REVOKE ALL ON webhook_events FROM provisioner_webhooks;
        GRANT SELECT, INSERT ON webhook_events TO provisioner_webhooks;
        GRANT UPDATE (outcome, applied, queue_id) ON webhook_events TO provisioner_webhooks;
    END IF;
END
$$;

-- The identity columns' sequences need no grant: PostgreSQL draws identity values without checking them. Nor does
-- webhook_events.queue_id's foreign key: PostgreSQL checks references with the table owner's rights.
