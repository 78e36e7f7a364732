-- Sharing: an owner's collection offered to a user or group with an access level.
-- An accepted share appears inside the sharee's home at mount_path (a collection
-- that stands for the owner's one); the sharee's own display properties (name,
-- colour) are kept per share and never touch the owner's.
CREATE TABLE shares (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    sharee_id     INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    access        TEXT    NOT NULL CHECK (access IN ('read', 'read-write', 'freebusy')),
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    mount_path    TEXT    UNIQUE,
    mount_parent  INTEGER REFERENCES collections (id) ON DELETE CASCADE,
    summary       TEXT,
    created_at    INTEGER NOT NULL,
    UNIQUE (collection_id, sharee_id)
);
CREATE INDEX shares_sharee ON shares (sharee_id);
CREATE INDEX shares_mount_parent ON shares (mount_parent);

CREATE TABLE share_properties (
    share_id INTEGER NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    xml      TEXT    NOT NULL,
    PRIMARY KEY (share_id, name)
);
