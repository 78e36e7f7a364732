-- Time-range queries on events read the pieces of their instances
-- (agora_ical::instance_index, ResourceStore::objects_in_time) instead of every
-- object whose overall span meets the range, each of which had to be parsed.
-- inst_from/inst_to: ranges inside [inst_from, inst_to) are decided by the pieces
-- (NULL: not indexed by instances); inst_whole = 1 when every instance is there;
-- inst_exact = 0 when a hit must still be tested (floating times).
ALTER TABLE objects ADD COLUMN inst_from INTEGER;
ALTER TABLE objects ADD COLUMN inst_to INTEGER;
ALTER TABLE objects ADD COLUMN inst_whole INTEGER NOT NULL DEFAULT 0;
ALTER TABLE objects ADD COLUMN inst_exact INTEGER NOT NULL DEFAULT 0;

-- Pieces of at most a week: a range [a, b) reads the pieces starting in
-- (a - 1 week, b), one narrow range of this key.
CREATE TABLE instances (
    collection_id INTEGER NOT NULL,
    starts_at     INTEGER NOT NULL,
    object_id     INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    ends_at       INTEGER NOT NULL,
    PRIMARY KEY (collection_id, starts_at, object_id, ends_at)
) WITHOUT ROWID;
CREATE INDEX instances_object ON instances (object_id);

-- The objects the pieces do not decide whole (endless rules, tasks, objects
-- written before this migration) keep the span lookup, over just them.
CREATE INDEX objects_not_whole ON objects (collection_id, inst_whole, span_end, span_start) WHERE inst_whole = 0;

-- Events stored before this migration are indexed by the server in the
-- background (ResourceStore::objects_to_index): inst_to below any date marks
-- them due, as does a window that will soon run out.
UPDATE objects SET inst_to = -9223372036854775808 WHERE component = 'VEVENT';
CREATE INDEX objects_to_index ON objects (inst_to) WHERE inst_whole = 0 AND component = 'VEVENT';
