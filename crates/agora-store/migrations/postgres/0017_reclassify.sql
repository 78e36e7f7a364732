-- CLASS used to be found by scanning the text for lines starting `CLASS:`,
-- which missed `Class:PRIVATE`, parameters and folded lines. Every calendar
-- object is read again from its parsed form by the server at start
-- (Core::classify_objects); until then -1 counts as PRIVATE for readers
-- without write access (fail closed).
UPDATE objects SET class = -1 WHERE component IN ('VEVENT', 'VTODO', 'VJOURNAL');
CREATE INDEX objects_to_classify ON objects (id) WHERE class < 0;
