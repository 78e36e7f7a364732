//! What a migration did, per collection, and what it could not bring, per
//! object, with the reason in words (the core's own messages: invalid
//! iCalendar, too large, the meeting already in another calendar…).

use std::fmt::Write as _;

/// Counts of one collection.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Objects new on Agora.
    pub created: usize,
    /// Objects replaced with a newer version.
    pub updated: usize,
    /// Objects deleted because the source deleted them.
    pub deleted: usize,
    /// Objects already up to date.
    pub unchanged: usize,
    /// Objects not brought (see the problems).
    pub skipped: usize,
}

/// One collection's line.
#[derive(Debug, Clone)]
pub struct CollectionReport {
    /// The remote collection (URL without credentials).
    pub remote: String,
    /// The local path, when there is one.
    pub local: Option<String>,
    /// What happened to its members.
    pub counts: Counts,
    /// A word on the collection itself (skipped unchanged, subscription…).
    pub note: Option<String>,
}

/// An object (or collection) that could not be brought.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Its remote href.
    pub href: String,
    /// Its UID, when known.
    pub uid: Option<String>,
    /// Why.
    pub reason: String,
}

/// The whole report of one user's migration.
#[derive(Debug, Default)]
pub struct Report {
    /// Per collection.
    pub collections: Vec<CollectionReport>,
    /// Objects or collections not brought: they make the exit status non-zero.
    pub problems: Vec<Problem>,
    /// Collections reported and left alone by design (shared by others, the
    /// directory): they do not make the exit status non-zero.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether everything that was to be brought came.
    pub fn complete(&self) -> bool {
        self.problems.is_empty()
    }

    /// The summary printed at the end, one line per collection, then the
    /// problems and the notes.
    pub fn render(&self, user: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "migration of {user}:");
        let mut total = Counts::default();
        for c in &self.collections {
            let n = &c.counts;
            total.created += n.created;
            total.updated += n.updated;
            total.deleted += n.deleted;
            total.unchanged += n.unchanged;
            total.skipped += n.skipped;
            let local = c.local.as_deref().map_or_else(|| "(not brought)".to_owned(), |l| format!("/{l}"));
            let _ = write!(out, "  {} -> {local}: {}", c.remote, counts(n));
            if let Some(note) = &c.note {
                let _ = write!(out, " ({note})");
            }
            out.push('\n');
        }
        let _ = writeln!(out, "  total: {}", counts(&total));
        for p in &self.problems {
            match &p.uid {
                Some(uid) => {
                    let _ = writeln!(out, "  not brought: {} (UID {uid}): {}", p.href, p.reason);
                }
                None => {
                    let _ = writeln!(out, "  not brought: {}: {}", p.href, p.reason);
                }
            }
        }
        for note in &self.notes {
            let _ = writeln!(out, "  left alone: {note}");
        }
        out
    }
}

fn counts(n: &Counts) -> String {
    format!(
        "{} created, {} updated, {} deleted, {} unchanged, {} skipped",
        n.created, n.updated, n.deleted, n.unchanged, n.skipped
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_problems_and_notes() {
        let mut r = Report::default();
        r.collections.push(CollectionReport {
            remote: "http://h/cal/".into(),
            local: Some("calendars/alice/cal/".into()),
            counts: Counts { created: 2, updated: 1, deleted: 0, unchanged: 5, skipped: 1 },
            note: None,
        });
        r.problems.push(Problem { href: "/cal/x.ics".into(), uid: Some("x".into()), reason: "invalid data: y".into() });
        r.notes.push("http://h/shared/: shared".into());
        let text = r.render("alice");
        assert!(
            text.contains(
                "http://h/cal/ -> /calendars/alice/cal/: 2 created, 1 updated, 0 deleted, 5 unchanged, 1 skipped"
            ),
            "{text}"
        );
        assert!(text.contains("not brought: /cal/x.ics (UID x): invalid data: y"), "{text}");
        assert!(text.contains("left alone: http://h/shared/: shared"), "{text}");
        assert!(!r.complete());
    }
}
