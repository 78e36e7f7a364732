-- Single-use links to a user's Apple configuration profile (.mobileconfig), made
-- by the web interface for a QR code a phone's camera opens without a session.
-- Only a SHA-256 of the link's token is kept. A link is deleted when used, and
-- ones past `expires_at` are removed whenever a new one is made. In the store
-- rather than in memory so that any front-end behind a load balancer honours it.
CREATE TABLE profile_links (
    token_hash   TEXT    PRIMARY KEY,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX profile_links_expiry ON profile_links (expires_at);
