-- The send-rate limiter's shared state: one row per limiter key (the Veriff integration), so every runner on
-- every machine draws its send slots from one GCRA "theoretical arrival time", timed by this server's clock.
-- The functions are the Swift `GCRA` type (Sources/RateLimiting/GCRA.swift) line for line; times travel as
-- microseconds since the Unix epoch. Each call is one statement that locks the row only while it runs: a runner
-- that dies holds nothing.

CREATE TABLE IF NOT EXISTS rate_limiter_state (
    key                  text PRIMARY KEY,
    -- The theoretical arrival time of the next send at full spacing.
    tat                  timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- No slot starts before this: the end of the last 429 pause.
    paused_until         timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The AIMD rate factor as of factor_since; it climbs additively from there, up to 1.
    rate_factor          double precision NOT NULL DEFAULT 1 CHECK (rate_factor > 0 AND rate_factor <= 1),
    factor_since         timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Bumped whenever a pause is set or extended: slots taken under an older epoch are dropped.
    pause_epoch          bigint NOT NULL DEFAULT 0,
    -- 429 answers reported by every runner.
    rate_limited_total   bigint NOT NULL DEFAULT 0,
    -- The emission interval the last runner used, to spot runners configured with different caps.
    emission_interval_us double precision,
    updated_at           timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Takes p_count consecutive slots: start = max(tat, now); tat = start + p_count × T / factor (rounded up to the
-- microsecond, so rounding only ever loses capacity). The caller applies the burst tolerance to each slot.
CREATE OR REPLACE FUNCTION rate_limiter_reserve(
    p_key text, p_count integer, p_interval_us double precision, p_increase_per_minute double precision
) RETURNS TABLE (
    now_us bigint, start_us bigint, spacing_us double precision, epoch bigint, factor double precision
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    s rate_limiter_state%ROWTYPE;
    t timestamptz;
    f double precision;
    first_slot timestamptz;
BEGIN
    INSERT INTO rate_limiter_state (key) VALUES (p_key) ON CONFLICT (key) DO NOTHING;
    SELECT * INTO s FROM rate_limiter_state WHERE key = p_key FOR UPDATE;
    -- Read the clock after the lock, so slots follow the order the row is updated in.
    t := clock_timestamp();
    f := least(1.0, s.rate_factor + p_increase_per_minute
        * greatest(0.0, extract(epoch FROM t - s.factor_since)::double precision / 60));
    first_slot := greatest(s.tat, t);
    UPDATE rate_limiter_state
       SET tat = first_slot + ceil(p_count * p_interval_us / f) * interval '1 microsecond',
           emission_interval_us = p_interval_us,
           updated_at = t
     WHERE key = p_key;
    RETURN QUERY SELECT (extract(epoch FROM t) * 1000000)::bigint, (extract(epoch FROM first_slot) * 1000000)::bigint,
        p_interval_us / f, s.pause_epoch, f;
END
$$;

-- Records a 429: pauses every runner until now + p_pause_us, cuts the rate once per pause (a 429 during a pause
-- only extends it), and pushes tat so the first slot after the pause is at its end with no burst.
CREATE OR REPLACE FUNCTION rate_limiter_pause(
    p_key text, p_pause_us bigint, p_tolerance_us bigint, p_decrease double precision,
    p_minimum_factor double precision, p_increase_per_minute double precision
) RETURNS TABLE (
    now_us bigint, paused_until_us bigint, rate_cut boolean, epoch bigint, factor double precision,
    rate_limited bigint
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    s rate_limiter_state%ROWTYPE;
    t timestamptz;
    u timestamptz;
    cut boolean;
BEGIN
    INSERT INTO rate_limiter_state (key) VALUES (p_key) ON CONFLICT (key) DO NOTHING;
    SELECT * INTO s FROM rate_limiter_state WHERE key = p_key FOR UPDATE;
    t := clock_timestamp();
    u := t + p_pause_us * interval '1 microsecond';
    cut := s.paused_until <= t;
    IF cut THEN
        s.rate_factor := greatest(p_minimum_factor, p_decrease * least(1.0, s.rate_factor + p_increase_per_minute
            * greatest(0.0, extract(epoch FROM t - s.factor_since)::double precision / 60)));
    END IF;
    IF u > s.paused_until THEN
        s.paused_until := u;
        s.factor_since := u;
        s.tat := greatest(s.tat, u + p_tolerance_us * interval '1 microsecond');
        s.pause_epoch := s.pause_epoch + 1;
    END IF;
    s.rate_limited_total := s.rate_limited_total + 1;
    UPDATE rate_limiter_state
       SET tat = s.tat, paused_until = s.paused_until, rate_factor = s.rate_factor, factor_since = s.factor_since,
           pause_epoch = s.pause_epoch, rate_limited_total = s.rate_limited_total, updated_at = t
     WHERE key = p_key;
    RETURN QUERY SELECT (extract(epoch FROM t) * 1000000)::bigint,
        (extract(epoch FROM s.paused_until) * 1000000)::bigint, cut, s.pause_epoch, s.rate_factor,
        s.rate_limited_total;
END
$$;
