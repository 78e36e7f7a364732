-- Time-range lookups walk the objects ending after the window's start, not the
-- whole collection (see ResourceStore::objects_in_span).
CREATE INDEX objects_span_end ON objects (collection_id, span_end, span_start);
