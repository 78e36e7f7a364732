-- DAV resources: collections (homes, calendars, address books, schedule boxes,
-- plain WebDAV collections), the objects in them, their dead properties, and the
-- change log behind sync tokens and getctag.
CREATE TABLE collections (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    BIGINT  NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    -- decoded URL path without the leading slash, ending with '/': 'calendars/alice/work/'
    path        TEXT    NOT NULL UNIQUE,
    parent_id   BIGINT  REFERENCES collections (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    -- supported calendar components, a bit set (see agora_store::Components)
    components  BIGINT  NOT NULL DEFAULT 0,
    -- sync revision: increased by every change of a member
    revision    BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    modified_at BIGINT  NOT NULL
);
CREATE INDEX collections_parent ON collections (parent_id);
CREATE INDEX collections_owner ON collections (owner_id);

CREATE TABLE objects (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collection_id BIGINT  NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    uid           TEXT,
    etag          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    data          BYTEA   NOT NULL,
    component     TEXT,
    -- overall time span of all instances (Unix seconds); NULL end = open-ended rule
    span_start    BIGINT,
    span_end      BIGINT,
    size          BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    modified_at   BIGINT  NOT NULL,
    revision      BIGINT  NOT NULL,
    UNIQUE (collection_id, name)
);
CREATE UNIQUE INDEX objects_uid ON objects (collection_id, uid) WHERE uid IS NOT NULL;
CREATE INDEX objects_span ON objects (collection_id, span_start, span_end);

CREATE TABLE collection_properties (
    collection_id BIGINT  NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    xml           TEXT    NOT NULL,
    PRIMARY KEY (collection_id, name)
);

CREATE TABLE object_properties (
    object_id BIGINT  NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    xml       TEXT    NOT NULL,
    PRIMARY KEY (object_id, name)
);

-- One row per member name: its latest change. Deleted members stay as tombstones so
-- that every sync token ever issued for the collection remains valid.
CREATE TABLE changes (
    collection_id BIGINT  NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    revision      BIGINT  NOT NULL,
    deleted       BIGINT  NOT NULL,
    PRIMARY KEY (collection_id, name)
);
CREATE INDEX changes_revision ON changes (collection_id, revision);
