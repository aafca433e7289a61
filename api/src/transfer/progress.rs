//! A progress bar per table on a terminal (`indicatif`), hidden when stderr is not one (a CI
//! log, a pipe): there each table's count is logged once it is done.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where the bars go.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    shown: bool,
}

impl Progress {
    /// Bars on stderr when it is a terminal.
    pub fn on_terminal() -> Progress {
        Progress { shown: std::io::stderr().is_terminal() }
    }

    /// No bars (tests, library callers).
    pub fn hidden() -> Progress {
        Progress { shown: false }
    }

    /// The bar of one table of `rows` rows.
    pub fn table(&self, name: &str, rows: u64) -> TableBar {
        let bar = if self.shown {
            let bar = ProgressBar::with_draw_target(Some(rows), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{prefix:>28} [{bar:30}] {human_pos}/{human_len} rows, {elapsed} ({eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(name.to_string());
            bar
        } else {
            ProgressBar::hidden()
        };
        TableBar { bar, name: name.to_string(), rows, shown: self.shown }
    }
}

/// One table's bar.
pub struct TableBar {
    bar: ProgressBar,
    name: String,
    rows: u64,
    shown: bool,
}

impl TableBar {
    pub fn inc(&self, rows: u64) {
        self.bar.inc(rows);
    }

    pub fn finish(&self) {
        if self.shown {
            self.bar.finish();
        } else {
            tracing::info!(table = %self.name, rows = self.rows, "table done");
        }
    }
}
