-- What an administrator sets on a principal (issue 16, Administration):
-- administrator: may use the administration pages and API;
-- disabled: cannot sign in by any means (data and invitations stay);
-- quota_bytes: overrides the server's quota (NULL: the server's, 0: unlimited);
-- for rooms and equipment, capacity (people; NULL: not said), auto_accept (0:
-- invitations wait in NEEDS-ACTION for a person to answer) and bookers_id (the
-- group whose members may book it; NULL: anyone).
ALTER TABLE principals ADD COLUMN administrator BIGINT NOT NULL DEFAULT 0;
ALTER TABLE principals ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE principals ADD COLUMN quota_bytes BIGINT;
ALTER TABLE principals ADD COLUMN capacity BIGINT;
ALTER TABLE principals ADD COLUMN auto_accept BIGINT NOT NULL DEFAULT 1;
ALTER TABLE principals ADD COLUMN bookers_id BIGINT REFERENCES principals (id) ON DELETE SET NULL;
-- The account every new installation starts with administers it.
UPDATE principals SET administrator = 1 WHERE kind = 'user' AND name = 'admin';
