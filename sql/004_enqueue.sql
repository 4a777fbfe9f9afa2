-- enqueue's de-duplication of end-users that have neither endUserId nor vendorData: a fingerprint (md5 of the
-- normalised end-user fields) is stored on the rows `provisioner enqueue` inserts, and looked up on the next import.
ALTER TABLE session_queue ADD COLUMN enqueue_fingerprint text;

CREATE INDEX session_queue_enqueue_fingerprint ON session_queue (enqueue_fingerprint)
    WHERE enqueue_fingerprint IS NOT NULL;
