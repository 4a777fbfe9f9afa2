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
--     else: no DELETE anywhere, no INSERT into the queue, no DDL, no other tables. The nightly job logs in as a member:
--
--         CREATE ROLE provisioner_nightly LOGIN PASSWORD '...' IN ROLE provisioner_runner;
--
--   * `enqueue` (INSERT into session_queue), `export`/`qr` and the webhook receiver need other rights: give them to
--     other roles, not to the runner.
--
-- Idempotent: running it twice changes nothing. Tables of later migrations are granted when they exist, so run it
-- again after each `provisioner migrate`; `provisioner check` reports any privilege still missing.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'provisioner_runner') THEN
        CREATE ROLE provisioner_runner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$$;

-- Find the tables (PostgreSQL 15 no longer lets every role create objects in `public`; the runner creates none).
GRANT USAGE ON SCHEMA public TO provisioner_runner;

-- Reads the applied schema version (`check`, and the run's start-up check).
GRANT SELECT ON schema_migrations TO provisioner_runner;

-- Claims pending rows, rescues expired leases, writes sessions and errors back. Rows are added by `enqueue`.
GRANT SELECT, UPDATE ON session_queue TO provisioner_runner;

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

-- The identity columns' sequences need no grant: PostgreSQL draws identity values without checking them.
