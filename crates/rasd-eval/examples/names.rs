//! Names across scripts, measured: for each pair of `tests/names/name-pairs.tsv` (a name as
//! the French or English press writes it, and as the Arabic press does), whether the Latin
//! name's transliteration keys meet the Arabic name's, as a search for the Latin name would
//! meet the Arabic article. Prints the share of names found, by convention and kind, the
//! confusions between different names, and the names missed with their keys.
//!
//! ```text
//! cargo run --release -p rasd-eval --example names
//! ```

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use rasd_eval::names::{self, PairOutcome};

fn main() -> ExitCode {
    let pairs = match names::read_pairs(&names::pairs_file()) {
        Ok(pairs) => pairs,
        Err(error) => {
            eprintln!("names: error: {error}");
            return ExitCode::from(2);
        }
    };
    let outcomes: Vec<PairOutcome> = pairs.iter().map(names::outcome).collect();
    let mut out = names::summary(&outcomes);
    let confusions = names::confusions(&outcomes);
    let _ = writeln!(
        out,
        "\n{} confusions (a Latin name meeting another pair's Arabic name by a key, at full weight):",
        confusions.len()
    );
    for (latin, arabic, key) in &confusions {
        let _ = writeln!(out, "  {latin} ↔ {arabic} ({key})");
    }
    let _ = writeln!(out, "\nMissed:");
    for outcome in outcomes.iter().filter(|o| !o.found) {
        let _ = writeln!(
            out,
            "  {} ({} {}) ↔ {}: Latin keys {:?}, Arabic keys {:?}",
            outcome.pair.latin,
            outcome.pair.convention,
            outcome.pair.kind,
            outcome.pair.arabic,
            outcome
                .latin_keys
                .iter()
                .map(|k| k.key.as_str())
                .collect::<Vec<_>>(),
            outcome.arabic_keys
        );
    }
    // A closed pipe (`| head`) ends the output; it is no error.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}
