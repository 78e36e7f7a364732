-- The outcome of the last fetch of each subscribed calendar's feed, shown to
-- clients as the A:feed-status property: when it was tried, and why it failed
-- (NULL when it succeeded). Kept apart from collections, which the server
-- writes on every refresh only when the feed's content changes.
CREATE TABLE feed_status (
    collection_id BIGINT NOT NULL PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
    fetched_at    BIGINT NOT NULL,
    error         TEXT
);
