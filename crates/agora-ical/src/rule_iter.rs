//! Iterating the occurrences of a [`Rule`] in ascending local wall time.
//!
//! DTSTART always counts as the first occurrence (RFC 5545 §3.3.10: "The
//! DTSTART property value always counts as the first occurrence"), later
//! occurrences are the period candidates strictly after DTSTART. COUNT and
//! UNTIL end the iteration; so does `hi` (no period starting after `hi` is
//! examined), which bounds the work for endless and impossible rules.
//!
//! Complexity: without COUNT the iterator starts at the period containing the
//! window's lower bound (`lo`), so the work is O(periods in the window). With
//! COUNT it must count from DTSTART: a rule with exactly one occurrence per
//! period (no BYxxx beyond DTSTART's own defaults) skips ahead arithmetically,
//! other rules cost O(periods from DTSTART to the window), bounded by `hi` and
//! by [`MAX_PERIODS`]. For sub-daily frequencies a day (hour, minute) that fails the
//! coarser BYxxx parts is skipped as a whole, so e.g. `FREQ=MINUTELY;BYDAY=MO`
//! costs O(days), not O(minutes), outside Mondays.

use chrono::NaiveDateTime;

use crate::calendar_math::Periods;
use crate::rule::{Rule, Until};
use crate::zone::TzSpec;

/// Ascending occurrences (local wall time) of a rule.
pub(crate) struct RuleIter<'a> {
    rule: &'a Rule,
    dtstart: NaiveDateTime,
    zone: &'a TzSpec,
    periods: Periods,
    k: i64,
    hi: NaiveDateTime,
    /// Candidates of the current period, reversed (pop from the end).
    buf: Vec<NaiveDateTime>,
    emitted: u64,
    first_pending: bool,
    done: bool,
    examined: u64,
}

/// At most this many periods are examined per iteration. Only reached by pathological
/// rules (e.g. `FREQ=SECONDLY;BYSECOND=0;COUNT=4000000000` from a distant DTSTART, queried
/// far later); their later occurrences are dropped rather than stalling the server.
pub const MAX_PERIODS: u64 = 5_000_000;

impl<'a> RuleIter<'a> {
    /// Occurrences of `rule` from `dtstart` (local time in `zone`); when the rule has no COUNT,
    /// iteration may start at the period containing `lo` (occurrences before `lo` may still be
    /// returned). No period starting after `hi` is examined.
    pub fn new(
        rule: &'a Rule,
        dtstart: NaiveDateTime,
        zone: &'a TzSpec,
        lo: Option<NaiveDateTime>,
        hi: NaiveDateTime,
    ) -> Self {
        let periods = Periods::new(rule.freq, rule.interval, dtstart, rule.wkst);
        let mut it = RuleIter {
            rule,
            dtstart,
            zone,
            periods,
            k: 0,
            hi,
            buf: Vec::new(),
            emitted: 0,
            first_pending: true,
            done: false,
            examined: 0,
        };
        if let Some(lo) = lo
            && lo > dtstart
        {
            let k = periods.index_at(lo);
            if rule.count.is_none() {
                it.k = k;
                it.first_pending = false;
            } else if k > 1 && rule.one_per_period(dtstart) {
                // Periods 1..k each held exactly one occurrence, DTSTART was the first.
                it.k = k;
                it.first_pending = false;
                it.emitted = k as u64;
                it.done = rule.count.is_some_and(|c| it.emitted >= c);
            }
        }
        it
    }

    fn past_until(&self, t: NaiveDateTime) -> bool {
        match self.rule.until {
            None => false,
            Some(Until::Date(d)) => t.date() > d,
            Some(Until::Local(l)) => t > l,
            Some(Until::Utc(u)) => self.zone.to_utc(t) > u,
        }
    }

    /// Accepts `t` as the next occurrence unless COUNT or UNTIL ended the set.
    fn accept(&mut self, t: NaiveDateTime) -> Option<NaiveDateTime> {
        if self.rule.count.is_some_and(|c| self.emitted >= c) || self.past_until(t) {
            self.done = true;
            return None;
        }
        self.emitted += 1;
        Some(t)
    }
}

impl Iterator for RuleIter<'_> {
    type Item = NaiveDateTime;

    fn next(&mut self) -> Option<NaiveDateTime> {
        if self.first_pending {
            self.first_pending = false;
            // An UNTIL before DTSTART still leaves DTSTART itself (it is the first instance).
            if self.rule.count == Some(0) {
                self.done = true;
                return None;
            }
            self.emitted += 1;
            return Some(self.dtstart);
        }
        loop {
            if self.done {
                return None;
            }
            if let Some(t) = self.buf.pop() {
                if t <= self.dtstart {
                    continue;
                }
                return self.accept(t);
            }
            self.examined += 1;
            let Some(start) = self.periods.start(self.k).filter(|s| *s <= self.hi && self.examined <= MAX_PERIODS)
            else {
                self.done = true;
                return None;
            };
            match self.rule.period_set(start, self.dtstart) {
                Ok(mut set) => {
                    set.reverse();
                    self.buf = set;
                    self.k += 1;
                }
                Err(skip_to) => self.k = (self.k + 1).max(self.periods.index_from(skip_to)),
            }
        }
    }
}
