//! Progress of a long command (`agora migrate`, `import`, `export`, `backup`): a bar
//! on a terminal, and on a pipe or in a log (CI, cron) one line at most every few
//! seconds, so that a migration left running overnight says where it is without
//! flooding the log. Always on standard error: standard output stays for data.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a line is written when standard error is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// One task's progress: `what` done out of a total that may grow as it is discovered.
pub struct Progress {
    bar: Option<ProgressBar>,
    what: String,
    done: u64,
    total: u64,
    last_line: Instant,
}

impl Progress {
    /// Starts counting `what` (e.g. "objects") out of `total` (0 when not yet known).
    pub fn new(what: &str, total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message(what.to_owned());
            bar
        });
        Progress { bar, what: what.to_owned(), done: 0, total, last_line: Instant::now() }
    }

    /// Adds to the total (more was discovered).
    pub fn grow(&mut self, more: u64) {
        self.total += more;
        if let Some(bar) = &self.bar {
            bar.set_length(self.total);
        }
    }

    /// Counts `n` more done.
    pub fn advance(&mut self, n: u64) {
        self.done += n;
        match &self.bar {
            Some(bar) => bar.inc(n),
            None if self.last_line.elapsed() >= LINE_EVERY => {
                self.last_line = Instant::now();
                eprintln!("{}: {}/{}", self.what, self.done, self.total);
            }
            None => {}
        }
    }

    /// Says something without breaking the bar (a per-object problem).
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Ends the bar, leaving the final count on screen.
    pub fn finish(self) {
        match self.bar {
            Some(bar) => bar.finish(),
            None => eprintln!("{}: {}/{}", self.what, self.done, self.total),
        }
    }
}
