//! iCalendar and vCard for Agora, on top of `calcard`: what to index (UID,
//! component kind, instance spans from recurrence and time zones), iTIP message
//! building, vCard 3 ↔ 4 conversion. Pure functions, no I/O.
//!
//! Filled by the CalDAV/CardDAV issue; the crate exists now so that the layering
//! (dav → core → ical, store) is fixed from the start.
