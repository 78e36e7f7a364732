-- Collections the server fills rather than clients: 'directory' for the global
-- address list, an http(s) URL for a calendar subscribed to an iCalendar feed.
-- NULL for everything clients write.
ALTER TABLE collections ADD COLUMN source TEXT;
