-- The operator's dashboard (`provisioner serve`): the rows that need a person, a page at a time, and the sessions
-- created per minute. Read-only queries; these two indexes keep them fast on a large queue.

-- Rows that need a person (failed, held, or in doubt and not settled: QueueRowState.inDoubtCondition), newest
-- change first. The dashboard pages them by (updated_at, id) descending with a keyset condition, so the first page
-- and every later one read about one page of index entries, also with 100,000 failed rows. The index is partial: a
-- run's rows (pending, claimed, provisioned) never enter it, so claims and write-backs add no entries to it; only
-- rows that fail, are held or are marked in doubt do. (Every update of a row changes updated_at; updates of the
-- queue already change indexed columns, status or next_attempt_at, so none of them was a HOT update before.)
CREATE INDEX session_queue_needs_person ON session_queue (updated_at DESC, id DESC)
    WHERE status IN ('failed', 'held') OR (in_doubt AND status NOT IN ('provisioned', 'cancelled'));

-- Sessions created per minute over the last 24 hours, and over one run: created attempts by time, with the run, so
-- the chart reads only the index (one entry per session created, the rows' other attempts left out).
CREATE INDEX session_attempts_created ON session_attempts (started_at) INCLUDE (run_id) WHERE outcome = 'created';
