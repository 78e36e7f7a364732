-- Published calendars: a secret token serves a read-only feed without login.
-- Revoking deletes the row; a new publication gets a new token.
CREATE TABLE publications (
    collection_id BIGINT  PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
    token         TEXT    NOT NULL UNIQUE,
    created_at    BIGINT  NOT NULL
);
