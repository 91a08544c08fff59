//! Rendering results for people (terminal text, with optional colors) and for programs (JSON
//! Lines), one file per command (`watch` for `rasd watch`).
//!
//! Text output is written with ANSI styles; the caller's stream decides whether they reach the
//! terminal (see `anstream` in `cli`). JSON output never contains styles.
//!
//! Everything from the archive that text, CSV and stderr output show goes through
//! [`crate::clean`]: JSON output alone is exact.

/// Writes a line to stderr as `eprintln!` does, but says nothing when stderr is gone (`rasd
/// search … 2>&1 | head`): `eprintln!` panics then, and a note lost is no failure of the run.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod analyze;
mod hits;
mod index;
mod similar;
mod stats;
mod style;
mod watch;

use std::io::{self, Write};

use serde::Serialize;

pub use analyze::{write_analysis, write_query_description};
pub use hits::{
    write_facets_json, write_facets_text, write_hits_csv, write_hits_json, write_hits_text,
};
pub use index::{
    TerminalProgress, index_summary, interrupted_line, message_line, plan_summary, problem_line,
    write_plan_json, write_plan_text,
};
pub use similar::{write_similar_json, write_similar_text};
pub use stats::{write_config_line, write_stats_text};
pub use style::{Layout, LineOrder, MIN_WIDTH, laid_out};
pub use watch::{
    Alerts, write_alerts_csv, write_alerts_json, write_alerts_text, write_watch, write_watch_list,
    write_watches_json,
};

/// Writes `value` as one line of JSON: the one way every command writes JSON Lines.
pub fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}
