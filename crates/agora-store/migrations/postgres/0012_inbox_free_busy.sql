-- Free/busy is read through a user's schedule inbox (RFC 6638 §6.1.4 checks
-- the requester's privilege there). New inboxes get a grant of
-- CALDAV:read-free-busy (bit 512) to every signed-in user; inboxes made before
-- this migration get the same default, unless their owner already set grants.
INSERT INTO grants (collection_id, principal_id, special, privileges)
SELECT c.id, NULL, 'authenticated', 512
FROM collections c
WHERE c.kind = 'inbox'
  AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.collection_id = c.id);
