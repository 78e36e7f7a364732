-- Directory: users, groups and resources are all principals sharing one name space
-- (their names become URL segments under /principals/).
CREATE TABLE principals (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('user', 'group', 'resource')),
    name          TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    resource_kind TEXT    CHECK (resource_kind IN ('room', 'equipment')),
    password_hash TEXT,
    -- bumped by every credential change so that caches in every process see it at once
    auth_epoch    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX principals_kind ON principals (kind, name);

CREATE TABLE principal_emails (
    address      TEXT    PRIMARY KEY,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL
);
CREATE INDEX principal_emails_principal ON principal_emails (principal_id, position);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);

CREATE TABLE app_passwords (
    id           INTEGER PRIMARY KEY,
    principal_id INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    label        TEXT    NOT NULL,
    -- non-secret first group of the generated password: picks the one hash to verify
    hint         TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (principal_id, label)
);
