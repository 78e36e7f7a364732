-- Delegation (CalendarServer calendar-proxy): the members of a user's
-- calendar-proxy-read / calendar-proxy-write groups read or manage the user's
-- calendars. Delegates may be users or groups.
CREATE TABLE proxies (
    owner_id    BIGINT  NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    delegate_id BIGINT  NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
    write       BIGINT  NOT NULL,
    PRIMARY KEY (owner_id, delegate_id)
);
CREATE INDEX proxies_delegate ON proxies (delegate_id);
