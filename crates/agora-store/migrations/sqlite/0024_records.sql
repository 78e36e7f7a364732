-- Records (issue 17): the trash, legal holds and the audit log.
--
-- Trash: what a user deletes from a calendar or an address book (an object, or a
-- whole collection with its tree) is copied here in the deleting transaction and
-- kept for the retention time, then purged unless a hold covers it. `path` is where
-- it was ('calendars/alice/work/x.ics' or 'calendars/alice/work/'). Objects keep
-- their bytes and dead properties; collections their kind, components and dead
-- properties. A restore writes them back through the same checks as a PUT.
CREATE TABLE trash (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id    INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('object', 'collection')),
    path        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    deleted_at  INTEGER NOT NULL,
    deleted_by  INTEGER REFERENCES principals (id) ON DELETE SET NULL
);
CREATE INDEX trash_owner ON trash (owner_id, deleted_at);
CREATE INDEX trash_age ON trash (deleted_at);

-- The collections of a trashed collection entry: rel_path '' is the entry itself,
-- 'sub/' a collection below it.
CREATE TABLE trash_collections (
    trash_id    INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,
    rel_path    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    components  INTEGER NOT NULL,
    source      TEXT,
    -- JSON array of [Clark name, verbatim XML]
    properties  TEXT    NOT NULL,
    PRIMARY KEY (trash_id, rel_path)
);

-- The objects of an entry: for an object entry one row with rel_path ''; for a
-- collection entry, every member of every collection of its tree.
CREATE TABLE trash_objects (
    trash_id     INTEGER NOT NULL REFERENCES trash (id) ON DELETE CASCADE,
    rel_path     TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    properties   TEXT    NOT NULL,
    PRIMARY KEY (trash_id, rel_path, name)
);

-- Legal holds: nothing of a held user (principal_id) or below a held collection
-- path is purged from the trash, and a held user cannot be deleted.
CREATE TABLE holds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    principal_id INTEGER REFERENCES principals (id) ON DELETE RESTRICT,
    path         TEXT,
    reason       TEXT    NOT NULL,
    placed_by    TEXT    NOT NULL,
    placed_at    INTEGER NOT NULL,
    CHECK ((principal_id IS NULL) <> (path IS NULL))
);

-- The audit log: who did what to which data, when and from where. Append-only:
-- no statement of Agora updates or deletes a row, and the triggers below refuse it
-- to anyone else who reaches the database through Agora's own connection. The
-- actor's name is copied (no foreign key), so the log outlives the account.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    -- whose data it is (the user name in the target's path), for "what was done to X"
    owner     TEXT,
    detail    TEXT,
    address   TEXT,
    client    TEXT
);
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_actor ON audit_log (actor, at);
CREATE INDEX audit_owner ON audit_log (owner, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
