-- Access grants (RFC 3744 ACEs, grant-only) on collections; members and
-- sub-collections inherit them. An owner's rights are implicit, never stored.
CREATE TABLE grants (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collection_id BIGINT  NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    -- a principal, or one of the pseudo-principals of RFC 3744 §5.5.1
    principal_id  BIGINT  REFERENCES principals (id) ON DELETE CASCADE,
    special       TEXT    CHECK (special IN ('authenticated', 'unauthenticated', 'all')),
    -- a bit set of privileges (agora_core::acl::Privileges)
    privileges    BIGINT  NOT NULL,
    CHECK ((principal_id IS NULL) <> (special IS NULL))
);
CREATE INDEX grants_collection ON grants (collection_id);
CREATE INDEX grants_principal ON grants (principal_id);
