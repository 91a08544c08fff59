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

use crate::clean;

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
pub use style::{Layout, LineOrder, MIN_WIDTH, laid_out, laid_out_list};
pub use watch::{
    Alerts, write_alerts_csv, write_alerts_json, write_alerts_text, write_watch, write_watch_list,
    write_watches_json,
};

/// Writes `value` as one line of JSON: the one way every command writes JSON Lines.
pub fn json_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, TerminalSafe);
    value.serialize(&mut serializer)?;
    writeln!(out)
}

/// serde_json's compact JSON, with every character that must not reach a terminal as it is
/// ([`clean::is_unsafe`]) escaped as `\uXXXX`: JSON escapes only the C0 controls, and lets
/// DEL, the C1 controls (U+009B is a terminal's one-byte CSI), the line separators and the
/// bidirectional overrides through raw. The values read back are the same, exact; a JSON file
/// printed with `cat` stays safe, and a reader that splits lines at U+2028 gets whole lines.
struct TerminalSafe;

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if clean::is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}
