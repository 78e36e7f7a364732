-- WebDAV locks (RFC 4918 §6). In the database, not in memory, so that every
-- front-end sharing the store sees them.
CREATE TABLE locks (
    token          TEXT    PRIMARY KEY,
    -- decoded path of the locked resource; collections end with '/'
    path           TEXT    NOT NULL,
    depth_infinity BIGINT  NOT NULL,
    exclusive      BIGINT  NOT NULL,
    owner_xml      TEXT,
    principal_id   BIGINT  NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    timeout_secs   BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL
);
CREATE INDEX locks_path ON locks (path);
