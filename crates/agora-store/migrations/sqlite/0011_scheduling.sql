-- RFC 6638 §3.2.10: the Schedule-Tag of a scheduling object. It changes when the
-- client writes the object or the organiser's update rewrites an attendee's
-- copy, never when the server only records an attendee's answer.
ALTER TABLE objects ADD COLUMN schedule_tag TEXT;

-- iMIP messages waiting for the SMTP relay (RFC 6047). A message stays until it
-- is sent or has failed for good, so a restart or a relay outage loses nothing.
CREATE TABLE mail_queue (
    id              INTEGER PRIMARY KEY,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- queued, sent or failed
    status          TEXT    NOT NULL DEFAULT 'queued',
    envelope_from   TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    message         BLOB    NOT NULL,
    last_error      TEXT,
    -- The organiser's event the message belongs to (collection path + object
    -- name) and the attendee address, so a final failure can be shown in that
    -- attendee's SCHEDULE-STATUS. NULL for replies.
    object_path     TEXT,
    attendee        TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at);
