-- Cap discovery: the shared limiter row learns the cap Veriff really enforces from its 429s, so every runner uses it
-- and the next run starts from it. The functions are the Swift `CapEstimator` (Sources/RateLimiting/CapEstimator.swift)
-- and `GCRA.reserve` / `GCRA.rateLimited` line for line. Times are microseconds since the Unix epoch, so a fixed
-- window falls on clock minutes; accepted sends are counted per bucket of a sixtieth of the window, in a ring of 122
-- buckets (two windows and a little) that every runner adds to.

ALTER TABLE rate_limiter_state
    -- The settings of the last runner (the advisory in `status` and `check` compares with them).
    ADD COLUMN IF NOT EXISTS configured_cap double precision,
    ADD COLUMN IF NOT EXISTS headroom double precision,
    ADD COLUMN IF NOT EXISTS window_us bigint,
    -- Sends Veriff accepted, by bucket: slot (bucket mod 122) + 1 holds the count of the bucket in the same slot of
    -- accepted_stamps (an older stamp means the slot is stale).
    ADD COLUMN IF NOT EXISTS accepted_counts integer[] NOT NULL DEFAULT array_fill(0, ARRAY[122]),
    ADD COLUMN IF NOT EXISTS accepted_stamps bigint[] NOT NULL DEFAULT array_fill((-1)::bigint, ARRAY[122]),
    -- The cap learned at the last 429, in sends per window, when and until when it holds.
    ADD COLUMN IF NOT EXISTS learned_cap double precision CHECK (learned_cap IS NULL OR learned_cap >= 1),
    ADD COLUMN IF NOT EXISTS learned_at timestamptz,
    ADD COLUMN IF NOT EXISTS learned_until timestamptz,
    -- The cap while probing above the learned one, and when the probe last climbed.
    ADD COLUMN IF NOT EXISTS probe_cap double precision,
    ADD COLUMN IF NOT EXISTS probed_at timestamptz,
    -- The first slot after the last learned pause, and the accepted sends of the last 429's clock window.
    ADD COLUMN IF NOT EXISTS resume_at timestamptz,
    ADD COLUMN IF NOT EXISTS clock_window_count integer;

CREATE OR REPLACE FUNCTION rate_limiter_us(p_time timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT (extract(epoch FROM p_time) * 1000000)::bigint $$;

CREATE OR REPLACE FUNCTION rate_limiter_time(p_us double precision) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT timestamptz 'epoch' + ceil(p_us) * interval '1 microsecond' $$;

-- CapEstimator.bucket(of:window:): floor(t × 60 / window).
CREATE OR REPLACE FUNCTION rate_limiter_bucket(p_us bigint, p_window_us bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT floor(p_us::numeric * 60 / greatest(p_window_us, 1))::bigint $$;

-- CapEstimator.bucketEnd: the end (exclusive) of a bucket, in microseconds.
CREATE OR REPLACE FUNCTION rate_limiter_bucket_end(p_bucket bigint, p_window_us bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT (p_bucket + 1)::double precision * p_window_us / 60 $$;

-- RateLimitConfiguration.targetPerWindow(cap:): cap × (1 − headroom), at most max(1, ⌊cap⌋) / 1.005.
CREATE OR REPLACE FUNCTION rate_limiter_target(p_cap double precision, p_headroom double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT least(p_cap * (1 - p_headroom), greatest(1, floor(p_cap)) / 1.005) $$;

-- CapEstimator.record: adds accepted sends; buckets older than the ring are dropped, later than now counted now.
CREATE OR REPLACE FUNCTION rate_limiter_record_accepted(
    INOUT counts integer[], INOUT stamps bigint[], p_buckets bigint[], p_counts integer[], p_current bigint
) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i integer;
    b bigint;
    slot integer;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_buckets, 1), 0) LOOP
        CONTINUE WHEN p_counts[i] <= 0 OR p_buckets[i] <= p_current - 122;
        b := least(p_buckets[i], p_current);
        slot := (b % 122)::integer + 1;
        IF stamps[slot] <> b THEN
            stamps[slot] := b;
            counts[slot] := 0;
        END IF;
        counts[slot] := counts[slot] + p_counts[i];
    END LOOP;
END
$$;

-- CapEstimator.accepted(from:through:): accepted sends in buckets p_first ... p_last still in the ring.
CREATE OR REPLACE FUNCTION rate_limiter_accepted(counts integer[], stamps bigint[], p_first bigint, p_last bigint)
RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    first_bucket bigint := greatest(p_first, p_last - 121);
    b bigint;
    total integer := 0;
    k integer;
BEGIN
    IF p_first > p_last THEN
        RETURN 0;
    END IF;
    FOR k IN 0 .. (p_last - first_bucket)::integer LOOP
        b := first_bucket + k;
        IF stamps[(b % 122)::integer + 1] = b THEN
            total := total + counts[(b % 122)::integer + 1];
        END IF;
    END LOOP;
    RETURN total;
END
$$;

-- GCRA.reserve with the cap estimate: records the caller's accepted sends, climbs the probe (CapEstimator
-- .advanceProbe), and spaces slots by the AIMD factor and no closer than the learned cap allows.
CREATE OR REPLACE FUNCTION rate_limiter_take(
    p_key text, p_count integer, p_interval_us double precision, p_increase_per_minute double precision,
    p_cap double precision, p_headroom double precision, p_window_us bigint, p_lifetime_us bigint,
    p_quiet_windows double precision, p_probe_step double precision, p_buckets bigint[], p_counts integer[]
) RETURNS TABLE (
    now_us bigint, start_us bigint, spacing_us double precision, epoch bigint, factor double precision
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    s rate_limiter_state%ROWTYPE;
    t timestamptz;
    t_us bigint;
    f double precision;
    spacing double precision;
    first_slot timestamptz;
    from_us bigint;
    climbed double precision;
BEGIN
    INSERT INTO rate_limiter_state (key) VALUES (p_key) ON CONFLICT (key) DO NOTHING;
    SELECT * INTO s FROM rate_limiter_state WHERE key = p_key FOR UPDATE;
    t := clock_timestamp();
    t_us := rate_limiter_us(t);
    SELECT * INTO s.accepted_counts, s.accepted_stamps FROM rate_limiter_record_accepted(
        s.accepted_counts, s.accepted_stamps, p_buckets, p_counts, rate_limiter_bucket(t_us, p_window_us));
    IF s.learned_cap IS NOT NULL THEN
        IF t_us - rate_limiter_us(s.learned_at) >= p_lifetime_us THEN
            s.learned_cap := NULL;
        ELSE
            from_us := greatest(rate_limiter_us(coalesce(s.probed_at, s.learned_at)),
                rate_limiter_us(s.learned_at) + (p_window_us * p_quiet_windows)::bigint);
            IF t_us > from_us THEN
                climbed := coalesce(s.probe_cap, s.learned_cap)
                    + least(t_us - from_us, p_window_us)::double precision / p_window_us * p_probe_step * s.learned_cap;
                IF climbed >= p_cap THEN
                    s.learned_cap := NULL;
                ELSE
                    s.probe_cap := climbed;
                END IF;
            END IF;
            s.probed_at := greatest(coalesce(s.probed_at, t), t);
        END IF;
        IF s.learned_cap IS NULL THEN
            s.learned_at := NULL;
            s.learned_until := NULL;
            s.probe_cap := NULL;
            s.probed_at := NULL;
            s.resume_at := NULL;
            s.clock_window_count := NULL;
        END IF;
    END IF;
    f := least(1.0, s.rate_factor + p_increase_per_minute
        * greatest(0.0, extract(epoch FROM t - s.factor_since)::double precision / 60));
    spacing := p_interval_us / f;
    IF s.learned_cap IS NOT NULL THEN
        spacing := greatest(spacing,
            p_window_us / rate_limiter_target(least(p_cap, coalesce(s.probe_cap, s.learned_cap)), p_headroom));
    END IF;
    first_slot := greatest(s.tat, t);
    UPDATE rate_limiter_state
       SET tat = first_slot + ceil(p_count * spacing) * interval '1 microsecond',
           emission_interval_us = p_interval_us, configured_cap = p_cap, headroom = p_headroom,
           window_us = p_window_us, accepted_counts = s.accepted_counts, accepted_stamps = s.accepted_stamps,
           learned_cap = s.learned_cap, learned_at = s.learned_at, learned_until = s.learned_until,
           probe_cap = s.probe_cap, probed_at = s.probed_at, resume_at = s.resume_at,
           clock_window_count = s.clock_window_count, updated_at = t
     WHERE key = p_key;
    RETURN QUERY SELECT t_us, rate_limiter_us(first_slot), spacing, s.pause_epoch, p_interval_us / spacing;
END
$$;

-- GCRA.rateLimited / CapEstimator.learn: reads a 429 as a measurement of the cap. With nothing accepted in the
-- trailing window it only records the caller's sends and returns learned = NULL: the caller then records the
-- plain pause (rate_limiter_pause). p_retry_after_us is the clamped Retry-After, NULL when absent.
CREATE OR REPLACE FUNCTION rate_limiter_limited(
    p_key text, p_retry_after_us bigint, p_tolerance_us bigint, p_interval_us double precision,
    p_cap double precision, p_headroom double precision, p_window_us bigint, p_lifetime_us bigint,
    p_minimum_share double precision, p_buckets bigint[], p_counts integer[]
) RETURNS TABLE (
    now_us bigint, paused_until_us bigint, rate_cut boolean, epoch bigint, factor double precision,
    rate_limited bigint, learned double precision, measured integer
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    s rate_limiter_state%ROWTYPE;
    t timestamptz;
    t_us bigint;
    cur bigint;
    in_window integer;
    n integer;
    m integer;
    since integer;
    still_full boolean := false;
    same_burst boolean;
    cap double precision;
    previous double precision;
    clock_start bigint;
    spacing double precision;
    replay double precision;
    bucket_end double precision;
    pause_until double precision;
    arrival double precision;
    until_us double precision;
    resume_us bigint;
    paused_us bigint;
    tat_us bigint;
    k integer;
BEGIN
    INSERT INTO rate_limiter_state (key) VALUES (p_key) ON CONFLICT (key) DO NOTHING;
    SELECT * INTO s FROM rate_limiter_state WHERE key = p_key FOR UPDATE;
    t := clock_timestamp();
    t_us := rate_limiter_us(t);
    cur := rate_limiter_bucket(t_us, p_window_us);
    SELECT * INTO s.accepted_counts, s.accepted_stamps FROM rate_limiter_record_accepted(
        s.accepted_counts, s.accepted_stamps, p_buckets, p_counts, cur);
    in_window := rate_limiter_accepted(s.accepted_counts, s.accepted_stamps, cur - 59, cur);
    IF in_window = 0 THEN
        UPDATE rate_limiter_state
           SET accepted_counts = s.accepted_counts, accepted_stamps = s.accepted_stamps, updated_at = t
         WHERE key = p_key;
        RETURN QUERY SELECT t_us, rate_limiter_us(s.paused_until), false, s.pause_epoch, s.rate_factor,
            s.rate_limited_total, NULL::double precision, NULL::integer;
        RETURN;
    END IF;
    n := in_window;
    IF p_retry_after_us IS NOT NULL AND p_retry_after_us < p_window_us THEN
        n := least(n, rate_limiter_accepted(s.accepted_counts, s.accepted_stamps,
            rate_limiter_bucket(t_us + p_retry_after_us - p_window_us - 1000000, p_window_us), cur));
    END IF;
    resume_us := rate_limiter_us(s.resume_at);
    paused_us := rate_limiter_us(s.paused_until);
    IF resume_us IS NOT NULL AND resume_us <= t_us AND t_us - resume_us < p_window_us THEN
        since := rate_limiter_accepted(s.accepted_counts, s.accepted_stamps,
            rate_limiter_bucket(resume_us, p_window_us), cur);
        IF since > 0 THEN
            n := least(n, since);
        ELSE
            still_full := true;
        END IF;
    END IF;
    m := n;
    cap := n;
    IF still_full AND coalesce(s.clock_window_count, 0) > 0 THEN
        cap := least(cap, s.clock_window_count);
    END IF;
    same_burst := t_us < greatest(paused_us, coalesce(resume_us, paused_us));
    IF (still_full OR same_burst) AND s.learned_cap IS NOT NULL THEN
        cap := least(cap, s.learned_cap);
    END IF;
    cap := least(p_cap, greatest(1, p_cap * p_minimum_share, cap));

    clock_start := cur - cur % 60;
    s.clock_window_count := rate_limiter_accepted(s.accepted_counts, s.accepted_stamps, clock_start, cur);
    previous := s.learned_cap;
    s.learned_cap := cap;
    s.learned_at := t;
    s.learned_until := t + p_lifetime_us * interval '1 microsecond';
    s.probe_cap := NULL;
    s.probed_at := t;

    spacing := p_window_us / rate_limiter_target(cap, p_headroom);
    FOR k IN 0 .. 60 LOOP
        n := rate_limiter_accepted(s.accepted_counts, s.accepted_stamps, cur - 60 + k, cur - 60 + k);
        CONTINUE WHEN n = 0;
        bucket_end := least(rate_limiter_bucket_end(cur - 60 + k, p_window_us), t_us::double precision);
        replay := greatest(coalesce(replay, bucket_end), bucket_end) + spacing * n;
    END LOOP;
    pause_until := t_us + coalesce(p_retry_after_us, 0);
    IF still_full AND p_retry_after_us IS NULL THEN
        pause_until := greatest(pause_until, rate_limiter_bucket_end(clock_start + 59, p_window_us));
    END IF;
    replay := coalesce(replay, t_us);
    s.resume_at := rate_limiter_time(greatest(pause_until, replay - p_tolerance_us));

    s.rate_limited_total := s.rate_limited_total + 1;
    s.rate_factor := 1;
    s.factor_since := t;
    tat_us := rate_limiter_us(s.tat);
    arrival := greatest(tat_us::double precision, replay, pause_until + p_tolerance_us);
    until_us := greatest(paused_us::double precision, pause_until);
    IF arrival > tat_us OR until_us > paused_us OR cap IS DISTINCT FROM previous THEN
        s.pause_epoch := s.pause_epoch + 1;
    END IF;
    s.tat := rate_limiter_time(arrival);
    s.paused_until := rate_limiter_time(until_us);
    spacing := greatest(p_interval_us, p_window_us / rate_limiter_target(cap, p_headroom));
    UPDATE rate_limiter_state
       SET tat = s.tat, paused_until = s.paused_until, rate_factor = s.rate_factor, factor_since = s.factor_since,
           pause_epoch = s.pause_epoch, rate_limited_total = s.rate_limited_total,
           configured_cap = p_cap, headroom = p_headroom, window_us = p_window_us,
           accepted_counts = s.accepted_counts, accepted_stamps = s.accepted_stamps,
           learned_cap = s.learned_cap, learned_at = s.learned_at, learned_until = s.learned_until,
           probe_cap = s.probe_cap, probed_at = s.probed_at, resume_at = s.resume_at,
           clock_window_count = s.clock_window_count, updated_at = t
     WHERE key = p_key;
    RETURN QUERY SELECT t_us, rate_limiter_us(s.paused_until), cap IS DISTINCT FROM previous, s.pause_epoch,
        p_interval_us / spacing, s.rate_limited_total, cap, m;
END
$$;
