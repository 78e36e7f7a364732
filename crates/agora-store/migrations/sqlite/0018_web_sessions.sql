-- Web interface sign-in sessions. Only a SHA-256 of the cookie's token is kept:
-- a copy of the database opens no session. `auth_epoch` is the user's credential
-- epoch when the session opened; a password change (or app-password revocation)
-- bumps it and the session is no longer honoured. `expires_at` is the earlier of
-- the idle and the absolute limit, moved forward as the session is used.
CREATE TABLE web_sessions (
    token_hash   TEXT    PRIMARY KEY,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    csrf         TEXT    NOT NULL,
    auth_epoch   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX web_sessions_principal ON web_sessions (principal_id);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- The web interface's preferences of a user: a JSON object stored verbatim
-- (the core bounds its size).
CREATE TABLE web_preferences (
    principal_id INTEGER PRIMARY KEY REFERENCES principals (id) ON DELETE CASCADE,
    json         TEXT    NOT NULL,
    modified_at  INTEGER NOT NULL
);
