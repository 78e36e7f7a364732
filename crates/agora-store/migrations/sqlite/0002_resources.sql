-- DAV resources: collections (homes, calendars, address books, schedule boxes,
-- plain WebDAV collections), the objects in them, their dead properties, and the
-- change log behind sync tokens and getctag.
CREATE TABLE collections (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    -- decoded URL path without the leading slash, ending with '/': 'calendars/alice/work/'
    path        TEXT    NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES collections (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    -- supported calendar components, a bit set (see agora_store::Components)
    components  INTEGER NOT NULL DEFAULT 0,
    -- sync revision: increased by every change of a member
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    modified_at INTEGER NOT NULL
);
CREATE INDEX collections_parent ON collections (parent_id);
CREATE INDEX collections_owner ON collections (owner_id);

CREATE TABLE objects (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    uid           TEXT,
    etag          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    component     TEXT,
    -- overall time span of all instances (Unix seconds); NULL end = open-ended rule
    span_start    INTEGER,
    span_end      INTEGER,
    size          INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL,
    revision      INTEGER NOT NULL,
    UNIQUE (collection_id, name)
);
CREATE UNIQUE INDEX objects_uid ON objects (collection_id, uid) WHERE uid IS NOT NULL;
CREATE INDEX objects_span ON objects (collection_id, span_start, span_end);

CREATE TABLE collection_properties (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    xml           TEXT    NOT NULL,
    PRIMARY KEY (collection_id, name)
);

CREATE TABLE object_properties (
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    xml       TEXT    NOT NULL,
    PRIMARY KEY (object_id, name)
);

-- One row per member name: its latest change. Deleted members stay as tombstones so
-- that every sync token ever issued for the collection remains valid.
CREATE TABLE changes (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    deleted       INTEGER NOT NULL,
    PRIMARY KEY (collection_id, name)
);
CREATE INDEX changes_revision ON changes (collection_id, revision);
